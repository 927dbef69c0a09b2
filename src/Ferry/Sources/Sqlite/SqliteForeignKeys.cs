using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// A SQLite table's foreign keys as the model's: pragma_foreign_key_list's rows for the columns and actions, the
/// CREATE TABLE text for what the pragma leaves out (DEFERRABLE INITIALLY DEFERRED), and notes for those PostgreSQL
/// cannot hold (a referenced table not copied, columns that are not a key).
/// </summary>
internal sealed class SqliteForeignKeys(NamingRule names, List<TableModel> tables, List<string> allTables)
{
    /// <summary>One row of pragma_foreign_key_list: <see cref="Id"/> numbers the keys from the one declared last.</summary>
    public sealed record Row(int Id, int Seq, string Table, string From, string? To, string OnUpdate, string OnDelete)
    {
        public static Row Of(object?[] r) => new(Convert.ToInt32(r[0], CultureInfo.InvariantCulture), Convert.ToInt32(r[1], CultureInfo.InvariantCulture),
            (string)r[2]!, (string)r[3]!, r[4] as string, (string)r[5]!, (string)r[6]!);
    }

    string Target(string name) => names.Apply(name);

    public void Resolve(TableModel table, List<Row> rows, List<SqliteForeignKeyClause> clauses)
    {
        var groups = rows.GroupBy(r => r.Id).ToList();
        foreach (var group in groups)
        {
            var fk = group.OrderBy(r => r.Seq).ToList();
            var from = fk.Select(r => r.From).ToList();
            var description = $"Foreign key ({string.Join(", ", from)}) → {fk[0].Table}";
            var referenced = tables.FirstOrDefault(t => t.SourceName.Equals(fk[0].Table, StringComparison.OrdinalIgnoreCase));
            if (referenced is null)
            {
                table.Notes.Add(allTables.Any(t => t.Equals(fk[0].Table, StringComparison.OrdinalIgnoreCase))
                    ? $"{description} not copied: table {fk[0].Table} is not among the copied tables."
                    : $"{description} not copied: table {fk[0].Table} does not exist in the SQLite file.");
                continue;
            }

            List<string> to;
            if (fk.All(r => r.To is not null))
            {
                to = fk.Select(r => referenced.Columns.FirstOrDefault(c => c.SourceName.Equals(r.To, StringComparison.OrdinalIgnoreCase))?.SourceName ?? r.To!).ToList();
            }
            else if (referenced.PrimaryKey is { } key)
            {
                to = key.Columns.Select(k => referenced.Columns.First(c => c.TargetName == k).SourceName).ToList();
            }
            else
            {
                table.Notes.Add($"{description} not copied: it names no columns and {referenced.SourceName} has no primary key.");
                continue;
            }

            var missing = to.Where(c => !referenced.Columns.Any(x => x.SourceName.Equals(c, StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0 || to.Count != from.Count)
            {
                table.Notes.Add($"{description} not copied: {referenced.SourceName} has no column {string.Join(", ", missing)}.");
                continue;
            }

            var targetTo = to.Select(Target).ToList();
            var isKey = SameSet(referenced.PrimaryKey?.Columns, targetTo) || referenced.UniqueKeys.Any(k => SameSet(k.Columns, targetTo))
                || referenced.Indexes.Any(i => i.Unique && i.WhereSql is null && SameSet(i.Elements.Select(e => e.Replace(" DESC", "", StringComparison.Ordinal)).ToList(), targetTo.Select(Identifiers.Quote).ToList()));
            if (!isKey)
            {
                table.Notes.Add($"{description} ({string.Join(", ", to)}) not copied: those columns are not a primary key or unique in {referenced.SourceName}, which PostgreSQL requires.");
                continue;
            }

            var deferrability = Clause(clauses, groups.Count, fk[0].Id, from, fk[0].Table)?.Deferrability;
            if (deferrability is null)
                table.Notes.Add($"{description}: its DEFERRABLE clause could not be read from the CREATE TABLE statement; it is created NOT DEFERRABLE.");
            table.ForeignKeys.Add(new ForeignKeyModel(null, from.Select(Target).ToList(), null, referenced.SourceName, targetTo, fk[0].OnDelete, fk[0].OnUpdate,
                deferrability ?? Deferrability.NotDeferrable));
        }
    }

    /// <summary>The written clause of the pragma's key <paramref name="id"/>: the pragma numbers keys from the one declared last.</summary>
    static SqliteForeignKeyClause? Clause(List<SqliteForeignKeyClause> clauses, int count, int id, List<string> from, string table)
    {
        bool Same(SqliteForeignKeyClause c) =>
            c.Table.Equals(table, StringComparison.OrdinalIgnoreCase) && c.Columns.SequenceEqual(from, StringComparer.OrdinalIgnoreCase);
        if (clauses.Count == count && id < count && Same(clauses[count - 1 - id]))
            return clauses[count - 1 - id];
        var matching = clauses.Where(Same).ToList();
        return matching.Count == 1 ? matching[0] : null;
    }

    static bool SameSet(IReadOnlyList<string>? a, IReadOnlyList<string> b) =>
        a is not null && a.Count == b.Count && a.ToHashSet(StringComparer.Ordinal).SetEquals(b);
}
