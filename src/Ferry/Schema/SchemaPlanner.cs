using System.Text;
using Ferry.Sources;
using Ferry.Target;
using Ferry.Transforms;

namespace Ferry.Schema;

/// <summary>What the planner needs from the copy options.</summary>
internal sealed record PlanSettings(
    NamingRule Names,
    string? TargetSchema,
    IReadOnlyList<string>? Tables,
    IReadOnlyDictionary<string, string> Casts,
    IReadOnlyDictionary<string, IReadOnlyList<ColumnStep>>? Steps = null,
    bool Replace = false,
    bool CompatViews = false,
    IReadOnlyDictionary<string, TableRename>? Renames = null,
    TransformOrigins? Origins = null);

/// <summary>
/// Turns a discovered source into a <see cref="SchemaPlan"/>: selects tables, applies type overrides, names
/// everything for PostgreSQL (refusing names that collide after case folding or 63-byte truncation), names
/// constraints and indexes, and resolves foreign keys to target tables.
/// </summary>
internal static class SchemaPlanner
{
    /// <summary>PostgreSQL's limit on a table's columns (MaxHeapAttributeNumber); SQLite allows 2,000 by default.</summary>
    internal const int MaxColumns = 1600;

    public static SchemaPlan Plan(SourceModel source, PlanSettings settings)
    {
        var notes = new List<string>(source.Notes);
        var tables = SelectTables(source, settings).Select(t => new PlannedTable(t)).ToList();
        var origins = settings.Origins ?? TransformOrigins.None;
        TableRenamePlanner.Resolve(source, tables, settings.Renames, origins);
        if (tables.Count == 0)
            notes.Add($"{source.Source} has no tables: nothing to copy");
        ApplyCasts(tables, settings.Casts, origins);
        if (tables.SelectMany(t => t.Columns).Select(c => c.Refusal).OfType<string>().ToList() is { Count: > 0 } refused)
            throw new FerryException(string.Join("\n", refused) + "\nNothing was written.");
        var wide = tables.Where(t => t.Columns.Count > MaxColumns).Select(t => $"table '{t.Source.QualifiedSourceName}' has {t.Columns.Count} columns").ToList();
        if (wide.Count > 0)
        {
            throw new FerryException(
                $"Refusing to copy: PostgreSQL tables can have at most {MaxColumns} columns, and {string.Join("; ", wide)}. Nothing was written. " +
                "Leave it out with --tables, or split it in the source.");
        }

        var collisions = new List<Collision>();
        var systemColumns = new List<string>();
        var usedBySchema = new Dictionary<string, Dictionary<string, Claimant>>(StringComparer.Ordinal);
        // A table's (or view's) row type has its name: an enum type of the same name cannot be created beside it.
        var enums = source.Enums.Where(e => tables.Any(t => t.Columns.Any(c => c.Type.EnumTypeName == e.QualifiedName))).ToList();
        foreach (var type in enums)
            Claim(usedBySchema, type.Schema, type.Name, new Claimant($"enum type '{type.Name}'", type.Name, null, IsType: true), settings.Names, collisions);
        foreach (var planned in tables)
        {
            var table = planned.Source;
            planned.TargetSchema = planned.Rename?.Schema ?? settings.TargetSchema ?? planned.TargetSchema;
            planned.TargetName = TableRenamePlanner.TableName(planned) ?? TargetName(settings.Names, table.SourceName, $"table {table.SourceName}", notes);
            Claim(usedBySchema, planned.TargetSchema, planned.TargetName, new Claimant($"table '{table.QualifiedSourceName}'", table.SourceName, table.SourceSchema), settings.Names, collisions);
            var columns = new Dictionary<string, (string SourceName, int Position)>(StringComparer.Ordinal);
            foreach (var column in planned.Columns)
            {
                var position = table.Columns.IndexOf(column.Source) + 1; // the source's position, dropped columns counted
                column.TargetName = TableRenamePlanner.ColumnName(planned, column) ?? ColumnName(settings.Names, table, column.SourceName, position, notes);
                if (SystemColumns.Contains(column.TargetName))
                    systemColumns.Add($"column '{table.QualifiedSourceName}.{column.SourceName}' would be {planned.TargetName}.{column.TargetName} ({WayOut(settings.Names, column.SourceName, n => !SystemColumns.Contains(n), "gives it another name")})");
                if (columns.TryGetValue(column.TargetName, out var other))
                {
                    collisions.Add(Collision.Of(
                        $"columns {Described(table.SourceName, other.SourceName, other.Position)} and {Described(table.SourceName, column.SourceName, position)} both become {planned.TargetName}.{column.TargetName}",
                        Separating(settings.Names, r => r.ColumnName(other.SourceName, other.Position), r => r.ColumnName(column.SourceName, position))));
                }
                else
                {
                    columns[column.TargetName] = (column.SourceName, position);
                }
            }

            foreach (var partition in planned.Partitions)
            {
                partition.TargetSchema = settings.TargetSchema ?? partition.TargetSchema;
                partition.TargetName = TargetName(settings.Names, partition.Source.SourceName, $"partition {partition.Source.SourceName}", notes);
                Claim(usedBySchema, partition.TargetSchema, partition.TargetName, new Claimant($"partition '{partition.Source.QualifiedSourceName}'", partition.Source.SourceName, partition.Source.SourceSchema), settings.Names, collisions);
            }

            PlannedPartitions.ResolveParents(planned);
        }

        if (systemColumns.Count > 0)
        {
            throw new FerryException(
                "Refusing to copy: PostgreSQL reserves the names of its system columns (" + string.Join(", ", SystemColumns) + ") in every table: " +
                string.Join("; ", systemColumns) + ". Nothing was written. Rename the column in the source, or leave its table out with --tables.");
        }

        var views = source.Views.Where(v => settings.Tables is not { Count: > 0 } || v.FollowsTableSelection).Select(v => new PlannedView(v)).ToList();
        views.RemoveAll(v => TableRenamePlanner.Breaks(v, tables, notes));
        foreach (var view in views)
        {
            view.TargetSchema = settings.TargetSchema ?? view.TargetSchema;
            view.TargetName = TargetName(settings.Names, view.SourceName, $"view {view.SourceName}", notes);
            Claim(usedBySchema, view.TargetSchema, view.TargetName, new Claimant($"view '{view.SourceName}'", view.SourceName, view.Source.SourceSchema), settings.Names, collisions);
            if (view.TargetSql is null)
                notes.Add($"view {view.SourceName} is not created: {view.Source.Problem ?? "its SQL could not be translated"}");
        }

        StepPlanner.AttachSteps(tables, settings.Steps, origins);
        foreach (var type in MappedEnumPlanner.Plan(tables))
        {
            Claim(usedBySchema, type.Schema, type.Name, new Claimant($"the transform's enum type '{type.Name}'", type.Name, null, IsType: true, "name the enum otherwise in type: enum(…)"), settings.Names, collisions);
            enums.Add(type);
        }

        if (collisions.Count > 0)
            throw new FerryException(CollisionMessage(collisions));

        JsonFoldPlanner.Apply(tables);
        var bySource = tables.ToDictionary(p => p.Source.QualifiedSourceName, StringComparer.Ordinal);
        var relationNames = usedBySchema.ToDictionary(s => s.Key, s => s.Value.Where(c => !c.Value.IsType).Select(c => c.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var table in tables)
        {
            NameConstraints(table, settings.Names, relationNames[table.TargetSchema], notes);
            TableRenamePlanner.Rewrite(table);
        }

        foreach (var table in tables)
            ResolveForeignKeys(table, bySource, notes);

        var compatViews = settings.CompatViews ? CompatView.For(tables, source.Source) : [];
        return new SchemaPlan
        {
            Source = source.Source,
            Tables = tables,
            Views = views,
            Enums = enums,
            CompatViews = compatViews,
            ServerObjects = source.ServerObjects,
            Schemas = tables.Select(t => t.TargetSchema).Concat(enums.Select(e => e.Schema)).Concat(views.Select(v => v.TargetSchema)).Concat(compatViews.Select(v => v.Schema))
                .Concat(source.ServerObjects.Where(o => o.Kind is ServerObjectKind.Collation or ServerObjectKind.Type or ServerObjectKind.Function or ServerObjectKind.FunctionOnRelations or ServerObjectKind.Sequence).Select(o => o.Schema))
                .Where(s => s != "public").Distinct(StringComparer.Ordinal).ToList(),
            Notes = notes.Concat(tables.SelectMany(t => t.Notes.Select(n => $"{t.Source.SourceName}: {n}"))).ToList(),
            Applied = [.. tables.SelectMany(t => t.Applied.Select(n => $"{t.Source.SourceName}: {n}"))],
            Replace = settings.Replace,
        };
    }

    static List<TableModel> SelectTables(SourceModel source, PlanSettings settings) =>
        TableSelection.Of(settings.Tables, settings.Names).Select(source.Tables, t => (t.SourceSchema, t.SourceName),
            missing => $"--tables: the source has no table '{missing[0]}'. Its tables are: {string.Join(", ", source.Tables.Select(t => t.QualifiedSourceName))}.");

    static void ApplyCasts(List<PlannedTable> tables, IReadOnlyDictionary<string, string> casts, TransformOrigins origins)
    {
        foreach (var (target, typeText) in casts)
        {
            var dot = target.LastIndexOf('.');
            if (dot <= 0 || dot == target.Length - 1)
                throw new FerryException($"--cast '{target}={typeText}': name the column as table.column.");
            var tableName = target[..dot];
            var columnName = target[(dot + 1)..];
            var (table, column) = Find(tables, tableName, columnName, origins.Column(target) ?? $"--cast '{target}={typeText}'", origins.Table(tableName));
            var type = PgType.Parse(typeText);
            // What the data profile foresaw for another kind of type (rejects, widening) no longer holds.
            if (type.Kind != column.Type.Kind)
                table.Notes.RemoveAll(n => n.StartsWith($"Column {column.SourceName} (", StringComparison.Ordinal));
            column.Type = type;
            column.Refusal = null;
            column.Rule = $"--cast {table.Source.SourceName}.{column.SourceName}={column.Type.ToSql()}";
        }
    }

    /// <summary>
    /// The table and column named by <c>table.column</c> (source names, any case), or why there is none: a missing table
    /// named by <paramref name="tableWhat"/> when given (the transform's table line), a missing column by <paramref name="what"/>.
    /// </summary>
    internal static (PlannedTable Table, PlannedColumn Column) Find(List<PlannedTable> tables, string tableName, string columnName, string what, string? tableWhat = null)
    {
        var table = tables.FirstOrDefault(t => string.Equals(t.Source.SourceName, tableName, StringComparison.OrdinalIgnoreCase))
            ?? tables.FirstOrDefault(t => StepPlanner.Named(t, tableName))
            ?? throw new FerryException($"{tableWhat ?? what}: no table '{tableName}' is being copied (its tables: {string.Join(", ", tables.Select(t => t.Source.QualifiedSourceName).Take(20))}). Nothing was written.", FailureKind.Configuration);
        var column = table.Columns.FirstOrDefault(c => string.Equals(c.SourceName, columnName, StringComparison.OrdinalIgnoreCase))
            ?? throw new FerryException($"{what}: table '{table.Source.SourceName}' has no column '{columnName}'.");
        return (table, column);
    }

    /// <summary>A column's target name (<see cref="Naming.ColumnName"/>), with a note when the source gave it none.</summary>
    static string ColumnName(NamingRule rule, TableModel table, string sourceName, int position, List<string> notes)
    {
        if (sourceName.Length == 0)
        {
            var name = Naming.UnnamedColumn(position);
            notes.Add($"column {position} of {table.SourceName} has no name in the source (PostgreSQL names cannot be empty); named {name}");
            return name;
        }

        return TargetName(rule, sourceName, $"column {table.SourceName}.{sourceName}", notes);
    }

    /// <summary>A column for a message: its name, or its position when it has none.</summary>
    static string Described(string table, string sourceName, int position) =>
        sourceName.Length > 0 ? $"'{table}.{sourceName}'" : $"'{table}' column {position} (unnamed)";

    static string TargetName(NamingRule rule, string sourceName, string what, List<string> notes)
    {
        var name = rule.Apply(sourceName);
        if (!Identifiers.IsTooLong(name))
            return name;
        var truncated = Identifiers.Truncate(name);
        notes.Add($"{what}: name longer than 63 bytes, truncated to '{truncated}' as PostgreSQL would");
        return truncated;
    }

    /// <summary>The names of PostgreSQL's system columns, which no column of a table may take.</summary>
    static readonly string[] SystemColumns = ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"];

    /// <summary>What takes a name in a schema: a table, a view, or an enum type (which shares the namespace of tables' row types).</summary>
    sealed record Claimant(string What, string SourceName, string? SourceSchema, bool IsType = false, string? Hint = null);

    /// <summary>Two names that would collide, the --names rules under which they would not, and the way out when there is none.</summary>
    sealed record Collision(string Text, IReadOnlyList<NamingRule> Separating, string? Hint = null)
    {
        public static Collision Of(string text, IReadOnlyList<NamingRule> separating) =>
            new(text, separating, separating.Count == 0 ? "no --names rule separates them" : null);

        public override string ToString() => Hint is null ? Text : $"{Text} ({Hint})";
    }

    static void Claim(Dictionary<string, Dictionary<string, Claimant>> used, string schema, string name, Claimant claimant, NamingRule rule, List<Collision> collisions)
    {
        if (!used.TryGetValue(schema, out var names))
            used[schema] = names = new Dictionary<string, Claimant>(StringComparer.Ordinal);
        if (!names.TryGetValue(name, out var other))
        {
            names[name] = claimant;
            return;
        }

        var text = $"{other.What} and {claimant.What} both become {schema}.{name}";
        var separating = Separating(rule, other.SourceName, claimant.SourceName);
        if (other.IsType || claimant.IsType) // The type's name is the source type's under the same rule; --schema moves the tables.
            collisions.Add(new Collision(text, [], claimant.Hint ?? other.Hint ?? "no --names rule separates them; enum types are created in public, --schema puts the tables in another schema"));
        else if (separating.Count == 0 && other.SourceSchema != claimant.SourceSchema)
            collisions.Add(new Collision(text, [], "no --names rule separates tables of different source schemas: copy them in separate runs, each with --tables and its own --schema"));
        else
            collisions.Add(Collision.Of(text, separating));
    }

    /// <summary>The --names rules other than <paramref name="rule"/> that give <paramref name="a"/> and <paramref name="b"/> different PostgreSQL names.</summary>
    static List<NamingRule> Separating(NamingRule rule, string a, string b) => Separating(rule, r => r.Apply(a), r => r.Apply(b));

    /// <summary>The --names rules other than <paramref name="rule"/> under which the two names differ.</summary>
    static List<NamingRule> Separating(NamingRule rule, Func<NamingRule, string> a, Func<NamingRule, string> b) =>
        Enum.GetValues<NamingRule>().Where(r => r != rule && Identifiers.Truncate(a(r)) != Identifiers.Truncate(b(r))).ToList();

    /// <summary>Which other --names rules would make <paramref name="sourceName"/> acceptable, or that none would.</summary>
    static string WayOut(NamingRule rule, string sourceName, Func<string, bool> acceptable, string what)
    {
        var rules = Enum.GetValues<NamingRule>().Where(r => r != rule && acceptable(Identifiers.Truncate(r.Apply(sourceName)))).ToList();
        return rules.Count == 0 ? $"no --names rule {what}" : $"{RuleList(rules)} {what}";
    }

    static string RuleList(IEnumerable<NamingRule> rules) => "--names " + string.Join(" or ", rules.Select(r => r.ToString().ToLowerInvariant()));

    /// <summary>
    /// The refusal: every collision, then the way out. A rule is suggested only when it separates the names (not
    /// when they are the same name in different source schemas, or a table and an enum type of the same name).
    /// </summary>
    static string CollisionMessage(List<Collision> collisions)
    {
        var message = "Refusing to copy: PostgreSQL names would collide (after case folding and the 63-byte limit): " +
            string.Join("; ", collisions) + ". Nothing was written. ";
        var separable = collisions.Where(c => c.Separating.Count > 0).ToList();
        if (separable.Count == 0)
            return message + "Rename in the source.";
        var common = Enum.GetValues<NamingRule>().Where(r => separable.All(c => c.Separating.Contains(r))).ToList();
        var rules = common.Count > 0 ? common : separable.SelectMany(c => c.Separating).Distinct().ToList();
        var others = separable.Count < collisions.Count ? " (for the names it separates)" : "";
        return message + $"Use {RuleList(rules)}{others}, or rename in the source.";
    }

    /// <summary>Maps a key column given by source or target name to the target name; null when the table has no such column.</summary>
    static string? ResolveColumn(PlannedTable table, string name) =>
        (table.Columns.FirstOrDefault(c => c.SourceName == name)
         ?? table.Columns.FirstOrDefault(c => c.TargetName == name)
         ?? table.Columns.FirstOrDefault(c => string.Equals(c.SourceName, name, StringComparison.OrdinalIgnoreCase)))?.TargetName;

    static IReadOnlyList<string>? ResolveColumns(PlannedTable table, IReadOnlyList<string> names)
    {
        var resolved = names.Select(n => ResolveColumn(table, n)).ToList();
        return resolved.Any(r => r is null) ? null : resolved.Select(r => r!).ToList();
    }

    static void NameConstraints(PlannedTable planned, NamingRule rule, HashSet<string> used, List<string> notes)
    {
        var table = planned.Source;
        foreach (var column in planned.Columns)
        {
            if (column.Identity && column.Type.Kind is not (PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt) &&
                column.Type.Verbatim?.CatalogName is not ("int2" or "int4" or "int8"))
            {
                notes.Add($"{table.SourceName}.{column.SourceName}: not an identity column, its type {column.Type.ToSql()} is not an integer");
                column.Identity = false;
            }

            if (column.Collation is { } collation && !column.Source.CollationQualified && !DdlWriter.PortableCollations.Contains(collation))
            {
                notes.Add($"{table.SourceName}.{column.SourceName}: collation {collation} has no portable PostgreSQL equivalent; the column uses the database's default collation");
                column.Collation = null;
            }

            if (column.Identity && column.DefaultSql is not null)
            {
                notes.Add($"{table.SourceName}.{column.SourceName}: default {column.DefaultSql} dropped, the column is an identity");
                column.DefaultSql = null;
            }
        }

        if (planned.PrimaryKey is { } pk)
        {
            if (ResolveColumns(planned, pk.Columns) is { } columns)
            {
                planned.PrimaryKey = pk with { Columns = columns };
                planned.PrimaryKeyName = Unique(pk.Name is null ? planned.TargetName + "_pkey" : rule.Apply(pk.Name), used);
            }
            else
            {
                notes.Add($"{table.SourceName}: primary key ({string.Join(", ", pk.Columns)}) names a column the table does not have; not created");
                planned.PrimaryKey = null;
            }
        }

        foreach (var key in table.UniqueKeys)
        {
            if (ResolveColumns(planned, key.Columns) is { } columns)
                planned.UniqueKeys.Add(new NamedKey(Unique(key.Name is null ? $"{planned.TargetName}_{string.Join("_", columns)}_key" : rule.Apply(key.Name), used), columns) { Definition = key.Definition, Comment = key.Comment });
            else
                notes.Add($"{table.SourceName}: unique ({string.Join(", ", key.Columns)}) names a column the table does not have; not created");
        }

        foreach (var index in table.Indexes)
            planned.Indexes.Add(new NamedIndex(Unique(rule.Apply(index.Name), used), index));
        foreach (var exclusion in table.Exclusions)
            planned.Exclusions.Add(new NamedKey(Unique(rule.Apply(exclusion.Name!), used), exclusion.Columns) { Definition = exclusion.Definition, Comment = exclusion.Comment });
    }

    static void ResolveForeignKeys(PlannedTable planned, Dictionary<string, PlannedTable> bySource, List<string> notes)
    {
        var table = planned.Source;
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fk in table.ForeignKeys)
        {
            var what = $"{table.SourceName}: foreign key ({string.Join(", ", fk.Columns)}) → {fk.ReferencedTable}";
            // A source with schemas names the referenced table's; SQLite's and a file's tables have none.
            var qualified = fk.ReferencedSchema is { } schema && table.SourceSchema is not null ? schema + "." + fk.ReferencedTable : fk.ReferencedTable;
            if (!bySource.TryGetValue(qualified, out var referenced))
            {
                referenced = bySource.Values.FirstOrDefault(t => string.Equals(t.Source.SourceName, fk.ReferencedTable, StringComparison.OrdinalIgnoreCase));
                if (referenced is null)
                {
                    notes.Add($"{what}: the referenced table is not copied; not created");
                    continue;
                }
            }

            var columns = ResolveColumns(planned, fk.Columns);
            var referencedColumns = fk.ReferencedColumns.Count == 0
                ? referenced.PrimaryKey?.Columns
                : ResolveColumns(referenced, fk.ReferencedColumns);
            if (columns is null || referencedColumns is null || columns.Count != referencedColumns.Count)
            {
                notes.Add($"{what}: its columns do not match the tables; not created");
                continue;
            }

            var name = Unique(fk.Name ?? $"{planned.TargetName}_{string.Join("_", columns)}_fkey", used);
            planned.ForeignKeys.Add(new PlannedForeignKey(name, columns, referenced, referencedColumns, fk.OnDelete, fk.OnUpdate, fk.Deferrability) { Comment = fk.Comment });
        }
    }

    /// <summary>A name not yet in <paramref name="used"/>, within 63 bytes (indexes share the schema's namespace).</summary>
    static string Unique(string name, HashSet<string> used)
    {
        var candidate = Identifiers.Truncate(name);
        for (var i = 1; !used.Add(candidate); i++)
        {
            var suffix = "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stem = Identifiers.Truncate(name);
            while (Encoding.UTF8.GetByteCount(stem + suffix) > Identifiers.MaxBytes)
                stem = stem[..^1];
            candidate = stem + suffix;
        }

        return candidate;
    }
}
