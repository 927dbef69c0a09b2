using Ferry.Schema;

namespace Ferry.Target;

/// <summary>What a step does: the executor runs each kind its own way (retries, catalog checks), the script writes them alike.</summary>
internal enum StepKind
{
    /// <summary>--replace: drops what the copy makes, where it exists.</summary>
    Drop,
    Schema,

    /// <summary>A PostgreSQL source's extension, type, function, sequence, sequence owner or trigger (<see cref="TargetStep.Object"/>).</summary>
    ServerObject,
    EnumType,
    Table,
    Copy,
    Key,
    AddForeignKey,
    ValidateForeignKey,
    Identity,
    View,
    CompatView,
    PartitionForeignKey,
    ResetSearchPath,
    Analyze,
    Count,
}

/// <summary>One step of a copy on its target: the statements it sends, in order, and what it is about.</summary>
internal sealed record TargetStep(StepKind Kind, IReadOnlyList<string> Statements)
{
    public PlannedTable? Table { get; init; }

    /// <summary>The key's or index's name (a <see cref="StepKind.Key"/>).</summary>
    public string? Name { get; init; }

    public PlannedForeignKey? ForeignKey { get; init; }

    public PlannedView? View { get; init; }

    /// <summary>The partition of <see cref="Table"/> a key or index is built on; null when it is the table's own.</summary>
    public PlannedPartition? Partition { get; init; }

    public EnumModel? Enum { get; init; }

    public ServerObject? Object { get; init; }

    /// <summary>The statements as one command: one round trip, one implicit transaction.</summary>
    public string Sql => string.Join(";\n", Statements);
}

/// <summary>
/// Steps that run together, under one heading of the script (none: they continue the group before): one after
/// another, or in parallel, largest tables first, when <paramref name="Parallel"/>. A group the script cannot run as
/// it is (the data, the count check) is written as comments.
/// </summary>
internal sealed record StepGroup(string? Heading, IReadOnlyList<TargetStep> Steps, bool Parallel = false, bool Commented = false);
