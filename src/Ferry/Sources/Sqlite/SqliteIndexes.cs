using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// A SQLite table's indexes as the model's: UNIQUE constraints as unique keys, CREATE INDEX statements translated
/// (expressions, DESC, partial indexes), and notes for those PostgreSQL cannot hold. An index's CREATE INDEX statement
/// comes from <paramref name="schemaSql"/>, sqlite_schema as discovery read it (type, name → sql).
/// </summary>
internal sealed class SqliteIndexes(SqliteCatalog catalog, SqliteSqlTranslator translator, NamingRule names, IReadOnlyDictionary<(string Type, string Name), string?> schemaSql)
{
    string Target(string name) => names.Apply(name);

    /// <summary>Adds a table's UNIQUE constraints and the indexes PostgreSQL can hold; notes the others, saying why.</summary>
    public async Task AddAsync(TableModel table, CancellationToken cancellationToken)
    {
        var list = await catalog.IndexesAsync(table.SourceName, cancellationToken);
        foreach (var row in list)
        {
            var name = (string)row[0]!;
            var origin = (string)row[2]!;
            if (origin == "pk")
                continue;
            if (origin == "u")
            {
                var columns = (await catalog.IndexColumnsAsync(name, cancellationToken))
                    .Select(r => Target((string)r[0]!)).ToList();
                table.UniqueKeys.Add(new KeyModel(null, columns));
                continue;
            }

            var sql = schemaSql.GetValueOrDefault(("index", name));
            var parsed = sql is null ? null : SqliteCreateIndex.Parse(sql);
            if (parsed is null)
            {
                table.Notes.Add($"Index {name} not copied: its definition could not be read.");
                continue;
            }

            var index = Index(name, Convert.ToInt64(row[1], CultureInfo.InvariantCulture) == 1, parsed, out var problem);
            if (index is null)
                table.Notes.Add($"Index {name} not copied: {problem}.");
            else if (index.Unique && index.WhereSql is null && table.PrimaryKey is { } key && index.Elements.SequenceEqual(key.Columns.Select(Identifiers.Quote)))
                table.Notes.Add($"Index {name} not copied: it repeats the primary key.");
            else
                table.Indexes.Add(index);
        }
    }

    IndexModel? Index(string name, bool unique, SqliteCreateIndex parsed, out string? problem)
    {
        problem = null;
        var elements = new List<string>();
        foreach (var (expression, descending, collation) in parsed.Elements)
        {
            string element;
            if (expression is [{ IsName: true } column])
            {
                if (column.Kind == SqlTokenKind.Word && column.Text.ToLowerInvariant() is "rowid" or "oid" or "_rowid_")
                {
                    problem = "it indexes the rowid";
                    return null;
                }

                element = translator.Name(column.Text);
            }
            else
            {
                translator.IndexKey = true;
                var sql = translator.Translate(expression);
                translator.IndexKey = false;
                if (sql is null)
                {
                    problem = translator.Problem;
                    return null;
                }

                element = "(" + sql + ")";
            }

            if (collation is not null && !collation.Equals("BINARY", StringComparison.OrdinalIgnoreCase))
            {
                problem = $"it uses COLLATE {collation}, which PostgreSQL does not have";
                return null;
            }

            elements.Add(descending ? element + " DESC" : element);
        }

        string? where = null;
        if (parsed.Where is { } w)
        {
            where = translator.Translate(w);
            if (where is null)
            {
                problem = translator.Problem;
                return null;
            }
        }

        return new IndexModel(Target(name), elements, unique, where);
    }
}
