using Ferry.Project;
using Ferry.Transforms;

namespace Ferry.Schema;

/// <summary>
/// Applies <see cref="TableRename"/>s to a plan: finds the tables and columns they name (refusing a name the source
/// lacks, with the nearest ones), leaves dropped columns out of the table (so no reader reads them), and carries
/// renames into what names columns in SQL text (indexes, key definitions). What PostgreSQL would have to rewrite or
/// lose is refused: a primary key, a foreign key, a check or a generated column on a dropped column, a check or a
/// generated column on a renamed one. An index or unique key on a dropped column is not created, with a note, as
/// PostgreSQL's own DROP COLUMN drops it; a view that mentions a renamed or dropped name is not created, with a note.
/// </summary>
internal static class TableRenamePlanner
{
    /// <summary>Finds each renamed table among <paramref name="tables"/> (those copied) and drops its dropped columns.</summary>
    public static void Resolve(SourceModel source, List<PlannedTable> tables, IReadOnlyDictionary<string, TableRename>? renames, TransformOrigins origins)
    {
        foreach (var (name, rename) in renames ?? new Dictionary<string, TableRename>())
        {
            var what = origins.Table(name) ?? $"Transform for table '{name}'";
            var table = Find(tables, name);
            if (table is null)
            {
                if (Find(source.Tables.Select(t => new PlannedTable(t)).ToList(), name) is not null)
                    continue; // not copied (--tables): nothing to rename
                var names = source.Tables.Select(t => t.QualifiedSourceName).ToList();
                throw new FerryException($"{what}: the source has no such table{Nearest(name, names)}. Its tables are: {string.Join(", ", names)}. Nothing was written.", FailureKind.Configuration);
            }

            Check(table, name, rename, what, origins);
            table.Rename = rename;
            Drop(table, tables, rename, what);
        }
    }

    /// <summary>
    /// A discovered model's tables as planned by discovery alone (<c>ferry verify</c> without the copy's plan), with
    /// the renames' names and drops.
    /// </summary>
    public static List<PlannedTable> Named(SourceModel model, IReadOnlyDictionary<string, TableRename> renames, TransformOrigins origins)
    {
        var tables = model.Tables.Select(t => new PlannedTable(t)).ToList();
        Resolve(model, tables, renames, origins);
        foreach (var table in tables.Where(t => t.Rename is not null))
        {
            table.TargetName = table.Rename!.Name ?? table.TargetName;
            table.TargetSchema = table.Rename.Schema ?? table.TargetSchema;
            foreach (var column in table.Columns)
                column.TargetName = ColumnName(table, column) ?? column.TargetName;
        }

        return tables;
    }

    /// <summary>The table's target name, verbatim; null when the transform does not rename it.</summary>
    public static string? TableName(PlannedTable table) => table.Rename?.Name;

    /// <summary>The column's target name, verbatim; null when the transform does not rename it.</summary>
    public static string? ColumnName(PlannedTable table, PlannedColumn column) => table.Rename?.ColumnName(column.SourceName);

    /// <summary>Notes the table's rename (the mapping shows the columns'), and carries the renames and drops into the table's indexes and key definitions (once they are named).</summary>
    public static void Rewrite(PlannedTable table)
    {
        if (table.Rename is not { } rename)
            return;
        if (rename.Name is not null || rename.Schema is not null)
            table.Applied.Add($"renamed by the transform to {table.DisplayName}");
        var renamedColumns = table.Columns.Where(c => rename.ColumnName(c.SourceName) is not null).ToDictionary(c => c.Source.TargetName, c => c.TargetName, StringComparer.Ordinal);
        var dropped = table.Dropped.Concat(table.FoldedAway).Select(c => c.Source.TargetName).ToHashSet(StringComparer.Ordinal);
        foreach (var index in table.Indexes.Where(i => i.Index.Elements.Concat([i.Index.WhereSql, i.Index.ServerSql]).Any(e => SqlIdentifiers.Mentioned(e, dropped) is not null)).ToList())
        {
            table.Notes.Add($"index {index.Index.Name} is not created: it uses a column the transform drops");
            table.Indexes.Remove(index);
        }

        foreach (var exclusion in table.Exclusions.Where(e => SqlIdentifiers.Mentioned(e.Definition, dropped) is not null).ToList())
        {
            table.Notes.Add($"exclusion constraint {exclusion.Name} is not created: it uses a column the transform drops");
            table.Exclusions.Remove(exclusion);
        }

        if (renamedColumns.Count == 0)
            return;
        for (var i = 0; i < table.Indexes.Count; i++)
        {
            var index = table.Indexes[i].Index;
            table.Indexes[i] = table.Indexes[i] with
            {
                Index = index with
                {
                    Elements = [.. index.Elements.Select(e => SqlIdentifiers.Rename(e, renamedColumns))],
                    WhereSql = index.WhereSql is { } where ? SqlIdentifiers.Rename(where, renamedColumns) : null,
                    ServerSql = index.ServerSql is { } server ? SqlIdentifiers.Rename(server, renamedColumns) : null,
                },
            };
        }

        for (var i = 0; i < table.UniqueKeys.Count; i++)
            table.UniqueKeys[i] = table.UniqueKeys[i] with { Definition = Renamed(table.UniqueKeys[i].Definition, renamedColumns) };
        for (var i = 0; i < table.Exclusions.Count; i++)
            table.Exclusions[i] = table.Exclusions[i] with { Definition = Renamed(table.Exclusions[i].Definition, renamedColumns) };
        if (table.PrimaryKey is { Definition: { } definition } pk)
            table.PrimaryKey = pk with { Definition = SqlIdentifiers.Rename(definition, renamedColumns) };
    }

    /// <summary>Whether <paramref name="view"/> mentions a table or column the transforms renamed or dropped (it is then not created, with a note).</summary>
    public static bool Breaks(PlannedView view, List<PlannedTable> tables, List<string> notes)
    {
        var changed = tables.Where(t => t.Rename is not null)
            .SelectMany(t => t.Dropped.Concat(t.Columns.Where(c => t.Rename!.ColumnName(c.SourceName) is not null || t.Rename.FoldsAway(c.SourceName))).Select(c => c.Source.TargetName)
                .Concat(t.Rename!.Name is null ? [] : [t.Source.TargetName]))
            .ToHashSet(StringComparer.Ordinal);
        if (SqlIdentifiers.Mentioned(view.TargetSql, changed) is not { } name)
            return false;
        notes.Add($"view {view.SourceName} is not created: it mentions {name}, which the transform renames or drops");
        return true;
    }

    static string? Renamed(string? sql, IReadOnlyDictionary<string, string> renamed) => sql is null ? null : SqlIdentifiers.Rename(sql, renamed);

    static PlannedTable? Find(List<PlannedTable> tables, string name) =>
        tables.FirstOrDefault(t => t.Source.QualifiedSourceName == name)
        ?? tables.FirstOrDefault(t => string.Equals(t.Source.QualifiedSourceName, name, StringComparison.OrdinalIgnoreCase))
        ?? tables.FirstOrDefault(t => string.Equals(t.Source.SourceName, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Refuses names the table lacks, empty or too long names, and a column both renamed and dropped.</summary>
    static void Check(PlannedTable table, string name, TableRename rename, string what, TransformOrigins origins)
    {
        var columns = table.Columns.Select(c => c.SourceName).ToList();
        foreach (var column in rename.ColumnRenames.Keys.Concat(rename.DroppedColumns))
        {
            if (!columns.Any(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase)))
                throw new FerryException($"{origins.Column($"{name}.{column}") ?? what}: the table has no column '{column}'{Nearest(column, columns)}. Its columns are: {string.Join(", ", columns)}. Nothing was written.", FailureKind.Configuration);
        }

        foreach (var target in new[] { rename.Name, rename.Schema }.Concat(rename.ColumnRenames.Values).OfType<string>())
        {
            if (target.Length == 0 || Identifiers.IsTooLong(target))
                throw new FerryException($"{what}: '{target}' cannot name a PostgreSQL object: names have 1 to {Identifiers.MaxBytes} bytes. Nothing was written.", FailureKind.Configuration);
        }

        if (rename.ColumnRenames.Keys.FirstOrDefault(rename.Drops) is { } both)
            throw new FerryException($"{what}: the column '{both}' is both renamed and dropped. Nothing was written.", FailureKind.Configuration);
    }

    /// <summary>Leaves the dropped columns out, refusing what cannot be without them (and what would need its SQL rewritten).</summary>
    static void Drop(PlannedTable table, List<PlannedTable> tables, TableRename rename, string what)
    {
        var dropped = table.Columns.Where(c => rename.Drops(c.SourceName)).ToList();
        var renamed = table.Columns.Where(c => rename.ColumnName(c.SourceName) is not null).ToList();
        var uses = Uses(table, tables, dropped, renamed);
        if (uses.Count > 0)
        {
            throw new FerryException(
                $"{what}: {string.Join("; ", uses)} use{(uses.Count == 1 ? "s" : "")} a column it drops or renames " +
                $"({string.Join(", ", dropped.Concat(renamed).Select(c => c.SourceName))}). " +
                "Nothing was written. Keep the column, or change the source first.", FailureKind.Configuration);
        }

        table.Drop(dropped);
    }

    /// <summary>
    /// What of <paramref name="table"/> (and of the tables referencing it) cannot be made without the <paramref name="gone"/>
    /// columns, or would need its SQL rewritten for the <paramref name="renamed"/> ones: keys, foreign keys, checks and
    /// generated columns. Indexes are not among them: one on a column gone is left out with a note (<see cref="Rewrite"/>).
    /// </summary>
    internal static List<string> Uses(PlannedTable table, List<PlannedTable> tables, IReadOnlyCollection<PlannedColumn> gone, IReadOnlyCollection<PlannedColumn> renamed)
    {
        var goneNames = gone.Select(c => c.TargetName).ToHashSet(StringComparer.Ordinal);
        var renamedNames = renamed.Select(c => c.TargetName).ToHashSet(StringComparer.Ordinal);
        var uses = new List<string>();
        bool Uses(IEnumerable<string> columns) => columns.Any(c => gone.Any(d => d.SourceName == c || d.TargetName == c));
        if (table.PrimaryKey is { } pk && Uses(pk.Columns))
            uses.Add($"its primary key ({string.Join(", ", pk.Columns)})");
        uses.AddRange(table.Source.ForeignKeys.Where(fk => Uses(fk.Columns)).Select(fk => $"its foreign key ({string.Join(", ", fk.Columns)}) → {fk.ReferencedTable}"));
        uses.AddRange(tables.Where(t => t != table).SelectMany(t => t.Source.ForeignKeys.Where(fk => Find([table], fk.ReferencedTable) is not null && Uses(fk.ReferencedColumns))
            .Select(fk => $"the foreign key of {t.Source.SourceName} ({string.Join(", ", fk.Columns)}) → {fk.ReferencedTable}")));
        foreach (var check in table.Checks)
        {
            if ((SqlIdentifiers.Mentioned(check.ExpressionSql, goneNames) ?? SqlIdentifiers.Mentioned(check.ExpressionSql, renamedNames)) is { } column)
                uses.Add($"the check {check.Name ?? check.ExpressionSql} (on {column})");
        }

        foreach (var column in table.Columns.Where(c => !goneNames.Contains(c.TargetName)))
        {
            if ((SqlIdentifiers.Mentioned(column.GeneratedSql, goneNames) ?? SqlIdentifiers.Mentioned(column.GeneratedSql, renamedNames)) is { } used)
                uses.Add($"the generated column {column.SourceName} (from {used})");
        }

        return uses;
    }

    internal static string Nearest(string name, IEnumerable<string> names) => YamlMap.Nearest(name, names) is { } nearest ? $" (did you mean '{nearest}'?)" : "";
}
