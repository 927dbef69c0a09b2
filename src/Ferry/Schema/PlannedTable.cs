namespace Ferry.Schema;

/// <summary>
/// A table as it will be created: the discovered <see cref="Source"/> table, its target schema and name, its planned
/// columns, and the names of its constraints and indexes.
/// </summary>
public sealed class PlannedTable
{
    internal PlannedTable(TableModel source)
    {
        Source = source;
        TargetSchema = source.TargetSchema;
        TargetName = source.TargetName;
        Columns = source.Columns.Select(c => new PlannedColumn(c)).ToArray();
        Copied = Columns.Where(c => c.GeneratedSql is null).ToArray();
        Written = Copied;
        PrimaryKey = source.PrimaryKey;
        Partitions = source.Partitions.Select(p => new PlannedPartition(p)).ToArray();
        Notes = [.. source.Notes];
        Checks = [.. source.Checks];
        Applied = [.. source.Applied];
    }

    /// <summary>The table as the source's discovery described it.</summary>
    public TableModel Source { get; }

    /// <summary>Unquoted, as the catalog has it.</summary>
    public string TargetSchema { get; internal set; }

    /// <summary>Unquoted (the DDL writer quotes where needed), cut to PostgreSQL's 63 bytes.</summary>
    public string TargetName { get; internal set; }

    /// <summary>Every column, in the source's order (generated ones included).</summary>
    public IReadOnlyList<PlannedColumn> Columns { get; private set; }

    /// <summary>The columns rows carry, in reader order (generated columns are computed by PostgreSQL).</summary>
    public IReadOnlyList<PlannedColumn> Copied { get; private set; }

    /// <summary>
    /// The columns the target's COPY carries, in the order rows are written: <see cref="Copied"/> without the columns a
    /// JSON fold takes away, then the folds' columns. The same list as <see cref="Copied"/> when the table has no fold.
    /// </summary>
    public IReadOnlyList<PlannedColumn> Written { get; private set; }

    /// <summary>The transform's JSON folds, each a <see cref="Written"/> column made at the end of each row from read columns.</summary>
    internal IReadOnlyList<PlannedFold> Folds { get; private set; } = [];

    /// <summary>
    /// The fold members whose JSON a source's server makes (a PostgreSQL source, whose values come as binary fields:
    /// <c>to_jsonb(column)</c> as text, one extra field each after the copied columns', in this order): the unstepped
    /// ones (a stepped member's JSON is made of its steps' text). Each is the position of its fold and of its key.
    /// </summary>
    internal IReadOnlyList<(int Fold, int Key)> ServerJsonMembers =>
        Source.BinaryValues
            ? [.. Folds.SelectMany((f, i) => f.Members.Select((m, k) => (Fold: i, Key: k, Member: m))).Where(x => Copied[x.Member].Steps.Count == 0).Select(x => (x.Fold, x.Key))]
            : [];

    /// <summary>Columns read only to be folded into JSON: not created in the target.</summary>
    internal IReadOnlyList<PlannedColumn> FoldedAway { get; private set; } = [];

    /// <summary>What a transform changes of the table's shape; null when none names it.</summary>
    internal TableRename? Rename { get; set; }

    /// <summary>The columns a transform leaves out: neither read nor created.</summary>
    internal IReadOnlyList<PlannedColumn> Dropped { get; private set; } = [];

    /// <summary>The primary key, in target column names; null when there is none (or it names a column the table lacks).</summary>
    public KeyModel? PrimaryKey { get; internal set; }

    /// <summary>The check constraints made (the source's, less those a transform's steps would break).</summary>
    public List<CheckModel> Checks { get; }

    /// <summary>What the plan tells the user about this table (the source's notes, less those a --cast made moot).</summary>
    public List<string> Notes { get; }

    /// <summary>What the user's options do to this table (the source's, and a transform's rename): plain notes, not warnings.</summary>
    public List<string> Applied { get; }

    /// <summary>Whether some copied column has steps: only then do its rows go through them.</summary>
    public bool HasSteps => Copied.Any(c => c.Steps.Count > 0);

    /// <summary><c>schema.name</c>, unquoted, for people.</summary>
    public string DisplayName => TargetSchema + "." + TargetName;

    /// <summary><c>schema.name</c>, quoted where needed, for SQL.</summary>
    public string QualifiedName => Identifiers.Qualify(TargetSchema, TargetName);

    public string? PrimaryKeyName { get; internal set; }

    public List<NamedKey> UniqueKeys { get; } = [];

    public List<NamedIndex> Indexes { get; } = [];

    /// <summary>Exclusion constraints, each with its definition (<see cref="NamedKey.Definition"/>).</summary>
    public List<NamedKey> Exclusions { get; } = [];

    /// <summary>A partitioned table's partitions, parents before their children.</summary>
    public IReadOnlyList<PlannedPartition> Partitions { get; }

    public List<PlannedForeignKey> ForeignKeys { get; } = [];

    /// <summary>Positions (among <see cref="Written"/>) of the primary-key columns, to name rejected rows.</summary>
    public IReadOnlyList<int> KeyPositions =>
        PrimaryKey is { } pk
            ? pk.Columns.Select(name => Written.ToList().FindIndex(c => c.TargetName == name)).Where(i => i >= 0).ToArray()
            : [];

    /// <summary>The binary COPY statement for the written columns (none: a PostgreSQL table may have no columns).</summary>
    public string CopySql => Written.Count == 0
        ? $"COPY {QualifiedName} FROM STDIN (FORMAT binary)"
        : $"COPY {QualifiedName} ({string.Join(", ", Written.Select(c => Identifiers.Quote(c.TargetName)))}) FROM STDIN (FORMAT binary)";

    /// <summary>Leaves <paramref name="columns"/> out of the table: no reader reads them, no DDL creates them.</summary>
    internal void Drop(IReadOnlyCollection<PlannedColumn> columns)
    {
        Columns = [.. Columns.Except(columns)];
        Copied = [.. Copied.Except(columns)];
        Written = [.. Written.Except(columns)];
        Dropped = [.. Dropped, .. columns];
    }

    /// <summary>Adds <paramref name="fold"/>'s column at the end of the table, leaving <paramref name="foldedAway"/> out of it (they are still read).</summary>
    internal void Fold(PlannedFold fold, IReadOnlyCollection<PlannedColumn> foldedAway)
    {
        Columns = [.. Columns.Except(foldedAway), fold.Column];
        Written = [.. Written.Except(foldedAway), fold.Column];
        FoldedAway = [.. FoldedAway.Union(foldedAway)];
        Folds = [.. Folds, fold];
    }

    /// <summary>The planned column of <paramref name="sourceName"/>.</summary>
    public PlannedColumn Column(string sourceName) =>
        Columns.FirstOrDefault(c => c.SourceName == sourceName)
        ?? throw new InvalidOperationException($"Table {Source.SourceName} has no column {sourceName}.");
}
