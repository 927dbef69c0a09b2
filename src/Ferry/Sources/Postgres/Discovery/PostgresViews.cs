using Ferry.Schema;
using Ferry.Sources.Postgres.Deparsed;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// The views and materialized views of a PostgreSQL source's schemas, as the server deparses them, with their
/// relations and columns renamed to the target's (<see cref="ViewQuery"/>), ordered so that a view comes after the
/// views it uses. With <c>--tables</c>, only the views whose every table is copied.
/// </summary>
internal sealed class PostgresViews(PostgresCatalog catalog, PostgresNames names, bool selectedTables)
{
    static readonly string ViewsSql = Internal.EmbeddedSql.Catalog(typeof(PostgresViews), "views.sql");

    /// <summary>Adds the views of <paramref name="schemas"/> to <paramref name="model"/>; <paramref name="copied"/> are the tables' oids.</summary>
    public async Task AddAsync(SourceModel model, string[] schemas, IReadOnlyDictionary<long, IReadOnlyDictionary<string, string>> copied, CancellationToken cancellationToken)
    {
        var rows = await catalog.QueryAsync(ViewsSql, schemas, cancellationToken);
        if (rows.Count == 0)
            return;
        var ordered = Ordered(rows, copied.Keys.ToHashSet());
        var relations = new Dictionary<(string, string), (string Schema, string Name)>();
        var renames = new Dictionary<(string, string), IReadOnlyDictionary<string, string>>();
        foreach (var table in model.Tables)
        {
            relations[(table.SourceSchema!, table.SourceName)] = (table.TargetSchema, table.TargetName);
            renames[(table.SourceSchema!, table.SourceName)] = names.ColumnRenames(table.Columns.Select(c => c.SourceName));
        }

        foreach (var row in ordered)
        {
            relations[((string)row[1]!, (string)row[2]!)] = (names.Schema((string)row[1]!), names.Name((string)row[2]!));
            names.Copies((string)row[1]!, (string)row[2]!);
        }

        var matviews = ordered.Where(r => (string)r[3]! == "m").Select(r => (long)r[0]!).ToArray();
        var indexes = (matviews.Length == 0 ? [] : await catalog.IndexesAsync(matviews, cancellationToken)).ToLookup(r => (long)r[0]!);
        var none = new Dictionary<string, string>();
        foreach (var row in ordered)
        {
            var query = (string)row[4]!;
            var target = ViewQuery.Rename(query, (s, n) => relations.TryGetValue((s, n), out var r) ? r : null, (s, n) => renames.GetValueOrDefault((s, n)));
            var commented = (string[])row[8]!;
            var comments = (string[])row[9]!;
            model.Views.Add(new ViewModel
            {
                SourceSchema = (string)row[1]!,
                SourceName = (string)row[2]!,
                TargetSchema = names.Schema((string)row[1]!),
                TargetName = names.Name((string)row[2]!),
                SourceSql = query,
                TargetSql = names.Rewrite(target, none),
                Materialized = (string)row[3]! == "m",
                Columns = (string[])row[6]!,
                Options = ((string[])row[5]!).Select(PostgresKeys.QuotedOption).ToList(),
                Comment = (string?)row[7],
                ColumnComments = commented.Zip(comments).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal),
                Indexes = indexes[(long)row[0]!].Select(Index).ToList(),
                FollowsTableSelection = true,
            });
        }
    }

    /// <summary>
    /// The views to create, each after those it uses (name order otherwise); with <c>--tables</c>, those whose every
    /// table is copied and every view is kept.
    /// </summary>
    List<object?[]> Ordered(List<object?[]> rows, HashSet<long> tables)
    {
        var views = rows.ToDictionary(r => (long)r[0]!);
        var placed = new HashSet<long>();
        var dropped = new HashSet<long>();
        var ordered = new List<object?[]>();
        while (placed.Count + dropped.Count < rows.Count)
        {
            var progress = false;
            foreach (var row in rows)
            {
                var oid = (long)row[0]!;
                if (placed.Contains(oid) || dropped.Contains(oid))
                    continue;
                var uses = (long[])row[10]!;
                if (uses.Any(u => views.ContainsKey(u) && !placed.Contains(u) && !dropped.Contains(u)))
                    continue;
                progress = true;
                if (selectedTables && uses.Any(u => views.ContainsKey(u) ? dropped.Contains(u) : !tables.Contains(u)))
                {
                    dropped.Add(oid);
                    continue;
                }

                placed.Add(oid);
                ordered.Add(row);
            }

            if (!progress)
                throw new InvalidOperationException("The source's views depend on each other in a cycle.");
        }

        return ordered;
    }

    IndexModel Index(object?[] row)
    {
        var definition = ServerIndexDefinition.Parse((string)row[1]!);
        return new IndexModel(Identifiers.Truncate(names.Name(definition.Name)), [], definition.Unique) { ServerSql = definition.Rest, Comment = (string?)row[2] };
    }
}
