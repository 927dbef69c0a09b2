using Ferry.Schema;
using SQLitePCL;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// A SQLite source's derived tables (<see cref="SourceOptions.DerivedTables"/>): the query's result columns (SQLite's declared
/// type where a column is a table's column, none otherwise), each typed as a table's column is, by its rule and the profile of
/// its values; read by running the query, in one piece.
/// </summary>
internal static class SqliteDerivedTables
{
    /// <summary>What a table is read from: its quoted name, or a derived table's <c>(query) AS "name"</c>.</summary>
    public static string From(TableModel table) =>
        table.SourceQuery is { } query ? $"({query}) AS {SqliteNative.Quote(table.SourceName)}" : SqliteNative.Quote(table.SourceName);

    public static void Add(SourceModel model, string path, SourceOptions options, CancellationToken cancellationToken)
    {
        foreach (var derived in options.DerivedTables)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = DerivedTables.Check(model, derived, model.Source, SqliteNative.Quote);
            var result = ResultColumns(path, from, derived, model.Source);
            var profiled = result.Select(c =>
            {
                var (rule, type) = SqliteTypeRules.Match(c.DeclaredType);
                return new SqliteDataProfile.Column(c.Name, type, rule.Policy, Scan: options.ProfileData);
            }).ToList();
            var profile = SqliteDataProfile.Scan(path, derived.Name, from, profiled, rowid: null, cancellationToken);
            var notes = new List<string>();
            var columns = new List<ColumnModel>();
            for (var i = 0; i < result.Count; i++)
            {
                var (name, declaredType) = result[i];
                var (rule, declared) = SqliteTypeRules.Match(declaredType);
                var decisions = new List<string>();
                var type = SqliteDataDecision.Decide(rule, declared, profile.Columns[i], profile.Rows, decisions);
                columns.Add(new ColumnModel
                {
                    SourceName = name,
                    SourceType = declaredType,
                    TargetName = options.Names.Apply(name),
                    Type = type,
                    Rule = decisions.Count > 0 ? rule.Name + "; data: " + string.Join("; ", decisions) : rule.Name,
                });
                if (decisions.Count > 0)
                    notes.Add($"Column {name} ({(declaredType.Length == 0 ? "no declared type" : declaredType)} → {type.ToSql()}): {string.Join("; ", decisions)}.");
            }

            var table = new TableModel
            {
                SourceName = derived.Name,
                Columns = columns,
                Notes = notes,
                EstimatedRows = profile.Rows,
                SourceState = new SqliteTableState(null, null, null),
            };
            model.Tables.Add(DerivedTables.Complete(table, derived, options.Names));
        }
    }

    /// <summary>The query's result columns and their declared types (empty where SQLite has none), or the refusal naming SQLite's message.</summary>
    static List<(string Name, string DeclaredType)> ResultColumns(string path, string from, DerivedTable derived, string description)
    {
        using var db = SqliteNative.OpenReadOnly(path);
        if (raw.sqlite3_prepare_v2(db, $"SELECT * FROM {from}", out var stmt) != raw.SQLITE_OK)
        {
            stmt?.Dispose();
            throw DerivedTables.Refused(derived, description, raw.sqlite3_errmsg(db).utf8_to_string());
        }

        using (stmt)
        {
            var columns = new List<(string, string)>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < raw.sqlite3_column_count(stmt); i++)
            {
                var name = raw.sqlite3_column_name(stmt, i).utf8_to_string();
                if (!seen.Add(name))
                    throw DerivedTables.Refused(derived, description, $"it returns two columns named '{name}' (name each with AS)");
                columns.Add((name, raw.sqlite3_column_decltype(stmt, i).utf8_to_string() ?? ""));
            }

            return columns;
        }
    }
}
