using Ferry.Target;

namespace Ferry.Schema;

/// <summary>
/// What a copy will create: the source's tables with their PostgreSQL names and types, constraint and index
/// names, foreign keys resolved to target tables, views and enums, in the order they are created. Its steps on the
/// target (<see cref="CopySteps"/>) are one list, executed by the real run and written by <c>--dry-run</c>.
/// </summary>
public sealed class SchemaPlan
{
    public required string Source { get; init; }

    public required IReadOnlyList<PlannedTable> Tables { get; init; }

    public required IReadOnlyList<PlannedView> Views { get; init; }

    /// <summary>The enum types the planned tables use (created before them; --replace drops them with them).</summary>
    public required IReadOnlyList<EnumModel> Enums { get; init; }

    /// <summary>Views under the renamed tables' source names (<c>--compat-views</c>), created after the copy's own views.</summary>
    public IReadOnlyList<CompatView> CompatViews { get; init; } = [];
    /// <summary>A PostgreSQL source's extensions, types, functions, sequences and triggers, in order (<see cref="ServerObjectKind"/> says when each runs).</summary>
    public IReadOnlyList<ServerObject> ServerObjects { get; init; } = [];

    /// <summary>Schemas to create (other than public).</summary>
    public required IReadOnlyList<string> Schemas { get; init; }

    /// <summary>Source notes and planning warnings (dropped keys, truncated names, untranslated views…).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>What the user's own options do (a filter, a rename, a derived table), per table: told as notes, not warnings.</summary>
    public IReadOnlyList<string> Applied { get; init; } = [];

    /// <summary>Whether the copy first drops its tables, views and enum types where the target has them (<c>--replace</c>).</summary>
    public bool Replace { get; internal init; }

    /// <summary>The type mapping, one row per column (a column a transform drops too, with no target), as <c>--dry-run</c> shows it.</summary>
    public IEnumerable<TypeMappingRow> Mapping =>
        Tables.SelectMany(t => t.Columns.Select(c => new TypeMappingRow(
            t.Source.SourceName,
            c.SourceName,
            c.SourceType,
            t.DisplayName + "." + c.TargetName,
            DdlWriter.ColumnType(c),
            c.Rule,
            ColumnNotes(t, c))).Concat(t.Dropped.Select(c => new TypeMappingRow(
            t.Source.SourceName, c.SourceName, c.SourceType, "(dropped)", "", "", "dropped by the transform: not read, not created"))));

    static string ColumnNotes(PlannedTable t, PlannedColumn c)
    {
        var notes = new List<string>();
        if (t.Rename?.ColumnName(c.SourceName) is not null)
            notes.Add("renamed by the transform");
        if (c.Identity)
            notes.Add(c.IdentityLast is { } last ? $"identity, continues after {last}" : "identity");
        if (c.NotNull)
            notes.Add("not null");
        if (c.DefaultSql is not null)
            notes.Add("default " + c.DefaultSql);
        if (c.GeneratedSql is not null)
            notes.Add("generated, not copied");
        if (c.Steps.Count > 0)
            notes.Add("steps: " + string.Join(", then ", c.Steps.Select(s => s.Description)));
        return string.Join("; ", notes);
    }

    /// <summary>The complete DDL, in execution order, with the data load marked where it happens.</summary>
    public string Script()
    {
        var writer = new StringWriter { NewLine = "\n" };
        CopySteps.For(this).Write(writer);
        return writer.ToString();
    }
}

/// <summary>One line of the type mapping table.</summary>
public sealed record TypeMappingRow(string Table, string Column, string SourceType, string Target, string TargetType, string Rule, string Notes);

public sealed record NamedKey(string Name, IReadOnlyList<string> Columns)
{
    /// <summary>The source's definition of the constraint (<see cref="KeyModel.Definition"/>), created as it is when present.</summary>
    public string? Definition { get; init; }

    public string? Comment { get; init; }
}

public sealed record NamedIndex(string Name, IndexModel Index);

/// <summary>A foreign key with its referenced table resolved to the target.</summary>
public sealed record PlannedForeignKey(string Name, IReadOnlyList<string> Columns, PlannedTable Referenced, IReadOnlyList<string> ReferencedColumns, string OnDelete, string OnUpdate, Deferrability Deferrability = Deferrability.NotDeferrable)
{
    public string? Comment { get; init; }
}
