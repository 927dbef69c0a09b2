namespace Ferry.Schema;

/// <summary>
/// What a source holds, in engine-neutral terms, with the PostgreSQL shape its mapping rules propose: each column carries
/// its declared source type, the target type the source's rules chose for it and the rule that chose it. Sources fill
/// this in at discovery and nothing changes it after; the planner makes a <see cref="SchemaPlan"/> of it, whose
/// <see cref="PlannedTable"/>s and <see cref="PlannedColumn"/>s the DDL writer, the copy and verify read.
/// </summary>
public sealed class SourceModel
{
    public required string Source { get; init; }

    public List<TableModel> Tables { get; init; } = [];

    public List<ViewModel> Views { get; init; } = [];

    /// <summary>Enum types the target needs before its tables (DuckDB ENUM).</summary>
    public List<EnumModel> Enums { get; init; } = [];

    /// <summary>A PostgreSQL source's extensions, types, functions, sequences and triggers the copy makes, in order.</summary>
    public List<ServerObject> ServerObjects { get; init; } = [];

    /// <summary>Source-level notes for the plan (e.g. "foreign keys are not enforced by SQLite").</summary>
    public List<string> Notes { get; init; } = [];
}

public sealed class TableModel
{
    /// <summary>The source's schema (DuckDB, PostgreSQL); null for SQLite and files.</summary>
    public string? SourceSchema { get; init; }

    /// <summary>The table's name in the source, exactly as spelled there.</summary>
    public required string SourceName { get; init; }

    /// <summary>The source's naming rule applied, unquoted; the plan's <see cref="PlannedTable.TargetName"/> is the one created.</summary>
    public string TargetName { get; init; } = "";

    public string TargetSchema { get; init; } = "public";

    public required List<ColumnModel> Columns { get; init; }

    public KeyModel? PrimaryKey { get; internal set; }

    public List<KeyModel> UniqueKeys { get; init; } = [];

    public List<IndexModel> Indexes { get; init; } = [];

    public List<ForeignKeyModel> ForeignKeys { get; init; } = [];

    /// <summary>CHECK constraints translated to PostgreSQL; untranslatable ones become notes.</summary>
    public List<CheckModel> Checks { get; init; } = [];

    /// <summary>Rows the source reports or estimates; orders the loads (largest first) and sizes ranges.</summary>
    public long? EstimatedRows { get; internal set; }

    /// <summary>Things the plan should tell the user about this table (dropped defaults, data-driven type choices…).</summary>
    public List<string> Notes { get; init; } = [];

    /// <summary>What the user's own options do to this table (a filter, a derived table's query): told as plain notes, not warnings.</summary>
    public List<string> Applied { get; init; } = [];

    /// <summary>A PostgreSQL source's <c>PARTITION BY</c> clause (<c>RANGE (created_at)</c>) of a partitioned table; null otherwise.</summary>
    public string? PartitionBy { get; init; }

    /// <summary>An unlogged table (PostgreSQL source): created UNLOGGED in the target too.</summary>
    public bool Unlogged { get; init; }

    /// <summary>A partitioned table's partitions, parents before their children (PostgreSQL source); rows go through the table.</summary>
    public List<PartitionModel> Partitions { get; init; } = [];

    /// <summary>Exclusion constraints (PostgreSQL source), each with its <see cref="KeyModel.Definition"/>; built after the load.</summary>
    public List<KeyModel> Exclusions { get; init; } = [];

    /// <summary>The table's comment (COMMENT ON TABLE), or null.</summary>
    public string? Comment { get; init; }

    /// <summary>
    /// Whether the source's readers give every value in PostgreSQL's binary COPY form for its planned type
    /// (<see cref="Copy.IRowSink.SetBinary"/>: a PostgreSQL source, whose server also does the casts).
    /// </summary>
    public bool BinaryValues { get; init; }

    /// <summary>Source-specific state the source's reader needs (e.g. SQLite: has a rowid to range over).</summary>
    internal Sources.ISourceTableState? SourceState { get; set; }

    /// <summary>
    /// The condition (<c>--where</c>, the source engine's SQL) the table's rows are read and counted with, checked by the
    /// engine at discovery; null: every row.
    /// </summary>
    public string? SourceFilter { get; internal set; }

    /// <summary>A derived table's query (<see cref="Sources.DerivedTable"/>), in the source engine's SQL, its rows read by running it; null for a source table.</summary>
    public string? SourceQuery { get; init; }

    public string QualifiedSourceName => SourceSchema is null ? SourceName : $"{SourceSchema}.{SourceName}";

    public ColumnModel Column(string sourceName) =>
        Columns.FirstOrDefault(c => c.SourceName == sourceName)
        ?? throw new InvalidOperationException($"Table {SourceName} has no column {sourceName}.");
}

public sealed class ColumnModel
{
    public required string SourceName { get; init; }

    /// <summary>The declared type in the source, as written there (may be empty for SQLite).</summary>
    public required string SourceType { get; init; }

    public string TargetName { get; init; } = "";

    /// <summary>The PostgreSQL type the source's mapping rules chose (a --cast overrides it in the plan, not here).</summary>
    public required PgType Type { get; init; }

    /// <summary>Which mapping rule chose <see cref="Type"/>, shown by --dry-run (e.g. "DECIMAL(p,s) → numeric(p,s)").</summary>
    public string Rule { get; init; } = "";

    public bool NotNull { get; internal set; }

    /// <summary>The default as a PostgreSQL expression, already translated; null when none or dropped.</summary>
    public string? DefaultSql { get; internal set; }

    /// <summary>The column becomes <c>GENERATED BY DEFAULT AS IDENTITY</c>, restarted past the copied maximum.</summary>
    public bool Identity { get; internal set; }

    /// <summary>
    /// The last value the source's sequence handed out (SQLite's sqlite_sequence): the identity continues after it (the
    /// last value, not the next: it may be the type's maximum, after which there is none).
    /// </summary>
    public long? IdentityLast { get; init; }

    /// <summary>A stored generated column's PostgreSQL expression: such columns are not copied, PostgreSQL computes them.</summary>
    public string? GeneratedSql { get; internal set; }

    public string? Collation { get; init; }

    /// <summary>
    /// A PostgreSQL source's identity clause, kept as the source has it (<c>GENERATED ALWAYS AS IDENTITY (INCREMENT BY 1 …)</c>);
    /// null for the default, <c>GENERATED BY DEFAULT AS IDENTITY</c>.
    /// </summary>
    public string? IdentitySql { get; init; }

    /// <summary>The collation is the server's own name, qualified (<c>pg_catalog."C"</c>): kept as it is, not only when portable.</summary>
    public bool CollationQualified { get; init; }

    /// <summary>The column's comment (COMMENT ON COLUMN), or null.</summary>
    public string? Comment { get; init; }

    /// <summary>
    /// Why the column cannot be copied as discovered (a source type with no faithful PostgreSQL type), naming where it
    /// is and the --cast that would load it: the planner refuses the plan unless a --cast overrides the column.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>This column with another type, chosen by another of the source's rules (discovery's own second look).</summary>
    internal ColumnModel Retyped(PgType type, string rule) => new()
    {
        SourceName = SourceName,
        SourceType = SourceType,
        TargetName = TargetName,
        Type = type,
        Rule = rule,
        NotNull = NotNull,
        DefaultSql = DefaultSql,
        Identity = Identity,
        IdentityLast = IdentityLast,
        GeneratedSql = GeneratedSql,
        Collation = Collation,
        Refusal = Refusal,
        IdentitySql = IdentitySql,
        CollationQualified = CollationQualified,
        Comment = Comment,
    };
}

/// <summary>A primary key or unique constraint: target column names, in order.</summary>
public sealed record KeyModel(string? Name, IReadOnlyList<string> Columns)
{
    /// <summary>
    /// The constraint as PostgreSQL writes it (<c>UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b) DEFERRABLE</c>), in target
    /// names, created as it is when present; null for sources that give only the columns.
    /// </summary>
    public string? Definition { get; init; }

    public string? Comment { get; init; }
}

/// <summary>
/// A secondary index. <see cref="Elements"/> are PostgreSQL SQL fragments: quoted column names or
/// parenthesized expressions, each with its ASC/DESC.
/// </summary>
public sealed record IndexModel(string Name, IReadOnlyList<string> Elements, bool Unique, string? WhereSql = null)
{
    /// <summary>A PostgreSQL source's index in the server's words from <c>USING</c> on (method, elements, INCLUDE, WITH, WHERE); null for others.</summary>
    public string? ServerSql { get; init; }

    public string? Comment { get; init; }
}

/// <summary>A foreign key; the referenced table is named by its source name (the planner resolves the target).</summary>
public sealed record ForeignKeyModel(
    string? Name,
    IReadOnlyList<string> Columns,
    string? ReferencedSchema,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns,
    string OnDelete = "NO ACTION",
    string OnUpdate = "NO ACTION",
    Deferrability Deferrability = Deferrability.NotDeferrable)
{
    public string? Comment { get; init; }
}

/// <summary>When a foreign key is checked: at each statement, or (deferred) at commit, as PostgreSQL's pg_constraint has it.</summary>
public enum Deferrability
{
    /// <summary>Checked at the end of each statement; SET CONSTRAINTS cannot defer it.</summary>
    NotDeferrable,

    /// <summary>Checked at each statement unless a transaction defers it (SET CONSTRAINTS … DEFERRED).</summary>
    InitiallyImmediate,

    /// <summary>Checked at commit: a transaction may insert a child before its parent.</summary>
    InitiallyDeferred,
}

public static class DeferrabilityExtensions
{
    /// <summary>The constraint attribute as PostgreSQL writes it (empty for the default, NOT DEFERRABLE).</summary>
    public static string ToSql(this Deferrability deferrability) => deferrability switch
    {
        Deferrability.InitiallyImmediate => "DEFERRABLE INITIALLY IMMEDIATE",
        Deferrability.InitiallyDeferred => "DEFERRABLE INITIALLY DEFERRED",
        _ => "NOT DEFERRABLE",
    };
}

public sealed record CheckModel(string? Name, string ExpressionSql)
{
    /// <summary>NOT VALID in the source (rows may break it): added NOT VALID after the load.</summary>
    public bool NotValid { get; init; }

    /// <summary>NO INHERIT: not passed on to inheriting tables.</summary>
    public bool NoInherit { get; init; }

    public string? Comment { get; init; }
}

/// <summary>A view: its source definition and, when translatable, the PostgreSQL one.</summary>
public sealed class ViewModel
{
    public string? SourceSchema { get; init; }

    public required string SourceName { get; init; }

    public string TargetName { get; init; } = "";

    public string TargetSchema { get; init; } = "public";

    public required string SourceSql { get; init; }

    /// <summary>The <c>SELECT …</c> for PostgreSQL, or null when it could not be translated (see <see cref="Problem"/>).</summary>
    public string? TargetSql { get; internal set; }

    public string? Problem { get; internal set; }

    /// <summary>A materialized view (PostgreSQL source): created WITH DATA after the load, with its <see cref="Indexes"/>.</summary>
    public bool Materialized { get; init; }

    /// <summary>The view's output column names, written as its column list when given (PostgreSQL source).</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>Storage options as <c>name=value</c> (<c>security_barrier=true</c>, <c>check_option=local</c>).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>A materialized view's indexes, in the server's words (<see cref="IndexModel.ServerSql"/>).</summary>
    public IReadOnlyList<IndexModel> Indexes { get; init; } = [];

    public string? Comment { get; init; }

    /// <summary>Comments on the view's columns, by column name.</summary>
    public IReadOnlyDictionary<string, string> ColumnComments { get; init; } = new Dictionary<string, string>();

    /// <summary>Discovery kept only the views over the tables <c>--tables</c> selects: the planner keeps them all.</summary>
    public bool FollowsTableSelection { get; init; }
}

/// <summary>An enum type the copy creates: schema and name unquoted, as the planner and the catalog see them.</summary>
public sealed record EnumModel(string Schema, string Name, IReadOnlyList<string> Labels)
{
    /// <summary><c>schema.name</c>, quoted where needed, for SQL.</summary>
    public string QualifiedName => Identifiers.Qualify(Schema, Name);

    /// <summary><c>schema.name</c>, unquoted, for people.</summary>
    public string DisplayName => Schema + "." + Name;

    /// <summary>
    /// A transform's <c>type: enum(name)</c>: an enum of this name the target already has (made by an earlier copy or a
    /// migration) is used when it has every label, instead of being refused as an existing source enum is.
    /// </summary>
    public bool Reusable { get; init; }
}
