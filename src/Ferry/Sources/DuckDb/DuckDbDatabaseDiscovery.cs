using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Internal;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// Reads a DuckDB database file's catalog (<c>duckdb:PATH</c>) into the neutral model: every table in every schema
/// (or those <c>--tables</c> names), NOT NULL, literal defaults, sequences (→ identity), keys, foreign keys, plain
/// indexes and views; CHECKs, other defaults and expression indexes become notes.
/// </summary>
internal sealed partial class DuckDbDatabaseDiscovery(string description, SourceOptions options)
{
    readonly DuckDbTableBuilder _builder = new(description, options.Names);

    public void Discover(DuckDbConnection connection, SourceModel model, CancellationToken cancellationToken)
    {
        var tables = connection.QueryText(
            "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() " +
            "WHERE database_name = current_database() AND NOT internal AND NOT temporary ORDER BY schema_name, table_name");
        var selection = TableSelection.Of(options.Tables, options.Names);
        var selected = selection.Select(tables, t => (t[0], t[1]!),
            missing => $"{description} has no table {string.Join(", ", missing)}; it has {string.Join(", ", tables.Select(t => t[0] + "." + t[1]))}.");

        foreach (var type in connection.QueryText(
            "SELECT schema_name, type_name FROM duckdb_types() WHERE database_name = current_database() AND NOT internal AND logical_type = 'ENUM'"))
        {
            var labels = connection.QueryText($"SELECT to_json(enum_range(NULL::{DuckDbSource.Quote(type[0]!)}.{DuckDbSource.Quote(type[1]!)}))::VARCHAR")[0][0]!;
            _builder.NameEnum(JsonText.StringArray(labels), type[1]!);
        }

        var columnFacts = connection.QueryText(
            "SELECT schema_name, table_name, column_name, is_nullable, column_default FROM duckdb_columns() " +
            "WHERE database_name = current_database() AND NOT internal")
            .ToDictionary(r => (r[0]!, r[1]!, r[2]!), r => (Nullable: r[3] == "true", Default: r[4]));
        var constraints = connection.QueryText(
            "SELECT schema_name, table_name, constraint_type, constraint_name, to_json(constraint_column_names)::VARCHAR, " +
            "referenced_table, to_json(referenced_column_names)::VARCHAR, expression FROM duckdb_constraints() " +
            "WHERE database_name = current_database() ORDER BY constraint_index");

        var indexes = connection.QueryText(
            "SELECT schema_name, table_name, index_name, is_unique, sql FROM duckdb_indexes() WHERE database_name = current_database() ORDER BY index_name");

        foreach (var row in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (schema, name) = (row[0]!, row[1]!);
            var from = DuckDbSource.Quote(schema) + "." + DuckDbSource.Quote(name);
            var table = _builder.Build(connection, model, schema, name, from, "SELECT * FROM " + from);
            table.SourceState = ((DuckDbTableState)table.SourceState!) with { RangeColumn = "rowid", MaxRangeSql = $"SELECT max(rowid) FROM {from}" };
            table.EstimatedRows = long.TryParse(row[2], CultureInfo.InvariantCulture, out var estimate) ? estimate : null;
            foreach (var column in table.Columns)
            {
                if (!columnFacts.TryGetValue((schema, name, column.SourceName), out var facts))
                    continue;
                column.NotNull = !facts.Nullable;
                ApplyDefault(table, column, facts.Default);
            }

            ApplyConstraints(table, constraints.Where(c => c[0] == schema && c[1] == name));
            foreach (var index in indexes.Where(i => i[0] == schema && i[1] == name))
                ApplyIndex(table, index[2]!, index[3] == "true", index[4] ?? "");
            model.Tables.Add(table);
        }

        foreach (var view in connection.QueryText(
            "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary " +
            "ORDER BY schema_name, view_name"))
        {
            var (schema, name, sql) = (view[0]!, view[1]!, view[2] ?? "");
            if (!selection.Mentions(schema, name))
                continue;
            var body = ViewBody().Match(sql);
            model.Views.Add(new ViewModel
            {
                SourceSchema = schema,
                SourceName = name,
                SourceSql = sql,
                TargetSql = body.Success ? DuckDbSqlText.WithPostgresStrings(body.Groups["select"].Value.Trim().TrimEnd(';')) : null,
                Problem = body.Success ? null : "the view's SQL is not a plain CREATE VIEW … AS SELECT; recreate it by hand",
            });
        }
    }

    void ApplyDefault(TableModel table, ColumnModel column, string? sourceDefault)
    {
        if (string.IsNullOrWhiteSpace(sourceDefault))
            return;
        var text = sourceDefault.Trim();
        if (text.StartsWith("nextval(", StringComparison.OrdinalIgnoreCase) && column.Type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt)
        {
            column.Identity = true;
            return;
        }

        column.DefaultSql = SimpleDefault().IsMatch(text) ? DuckDbSqlText.WithPostgresStrings(text)
            : text.Equals("CURRENT_TIMESTAMP", StringComparison.OrdinalIgnoreCase) || text.Equals("now()", StringComparison.OrdinalIgnoreCase) ? "now()"
            : text.Equals("CURRENT_DATE", StringComparison.OrdinalIgnoreCase) ? "CURRENT_DATE"
            : null;
        if (column.DefaultSql is null)
            table.Notes.Add($"Column {column.SourceName}: DuckDB default {text} is not carried over (not a plain literal); add it by hand if needed.");
    }

    void ApplyConstraints(TableModel table, IEnumerable<string?[]> constraints)
    {
        foreach (var c in constraints)
        {
            var type = c[2];
            var columns = c[4] is { } json ? JsonText.StringArray(json) : [];
            var targets = columns.Select(c => options.Names.Apply(c)).ToList();
            switch (type)
            {
                case "PRIMARY KEY":
                    table.PrimaryKey = new KeyModel(null, targets);
                    foreach (var column in columns)
                        table.Column(column).NotNull = true;
                    break;
                case "UNIQUE":
                    if (table.PrimaryKey is null || !table.PrimaryKey.Columns.SequenceEqual(targets))
                        table.UniqueKeys.Add(new KeyModel(null, targets));
                    break;
                // DuckDB checks every foreign key at once and forgets DEFERRABLE: NOT DEFERRABLE (the model's default) is what it means.
                case "FOREIGN KEY" when c[5] is { Length: > 0 } referenced:
                    var referencedColumns = c[6] is { } rj ? JsonText.StringArray(rj) : [];
                    table.ForeignKeys.Add(new ForeignKeyModel(null, targets, table.SourceSchema, referenced,
                        referencedColumns.Select(c => options.Names.Apply(c)).ToList()));
                    break;
                case "CHECK":
                    table.Notes.Add($"CHECK ({c[7]}) is DuckDB SQL and is not carried over; add it by hand if needed.");
                    break;
            }
        }
    }

    /// <summary>An index on plain columns comes along (DuckDB keeps no sort order); one on expressions becomes a note.</summary>
    void ApplyIndex(TableModel table, string name, bool unique, string sql)
    {
        var open = sql.IndexOf('(', StringComparison.Ordinal);
        var close = sql.LastIndexOf(')');
        var elements = new List<string>();
        if (open > 0 && close > open)
        {
            foreach (var part in SplitTopLevel(sql[(open + 1)..close]))
            {
                var column = part.Trim();
                if (column.Length > 1 && column[0] == '"' && column[^1] == '"')
                    column = column[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
                var match = table.Columns.FirstOrDefault(c => string.Equals(c.SourceName, column, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    elements.Clear();
                    break;
                }

                elements.Add(Identifiers.Quote(options.Names.Apply(match.SourceName)));
            }
        }

        if (elements.Count > 0)
            table.Indexes.Add(new IndexModel(options.Names.Apply(name), elements, unique));
        else
            table.Notes.Add($"Index {name} is on expressions ({sql.Trim()}); it is DuckDB SQL and is not carried over.");
    }

    static IEnumerable<string> SplitTopLevel(string list)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && c == '(')
                depth++;
            else if (!quoted && c == ')')
                depth--;
            else if (!quoted && depth == 0 && c == ',')
            {
                yield return list[start..i];
                start = i + 1;
            }
        }

        yield return list[start..];
    }

    [GeneratedRegex(@"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+.+?\s+AS\s+(?<select>(?:SELECT|WITH|VALUES|FROM)\b.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ViewBody();

    [GeneratedRegex(@"^(-?\d+(\.\d+)?|'([^']|'')*'|true|false|NULL)$", RegexOptions.IgnoreCase)]
    private static partial Regex SimpleDefault();
}
