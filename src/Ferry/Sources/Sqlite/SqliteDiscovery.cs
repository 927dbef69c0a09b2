using System.Globalization;
using Ferry.Schema;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Reads a SQLite file's schema into the neutral model: tables (with WITHOUT ROWID), columns with their
/// mapped types (rules, then one profiling pass over the data), keys, AUTOINCREMENT and sqlite_sequence,
/// unique constraints, indexes, foreign keys, CHECKs, generated columns and views.
/// </summary>
internal sealed class SqliteDiscovery(string path, SqliteConnection connection, SourceOptions options, SqliteProfileDeferral? deferral)
{
    readonly SqliteSqlTranslator _translator = new(options.Names);
    readonly SqliteCatalog _catalog = new(path, connection);

    sealed record TableEntry(string Name, bool WithoutRowid, bool Strict, string? Sql);

    string Target(string name) => options.Names.Apply(name);

    public async Task<SourceModel> DiscoverAsync(string description, CancellationToken cancellationToken)
    {
        var model = new SourceModel { Source = description };
        var schemaSql = new Dictionary<(string Type, string Name), string?>();
        foreach (var row in await _catalog.SchemaAsync(cancellationToken))
            schemaSql[((string)row[0]!, (string)row[1]!)] = row[2] as string;

        var all = new List<TableEntry>();
        foreach (var row in await _catalog.TablesAsync(cancellationToken))
        {
            var name = (string)row[0]!;
            var type = (string)row[1]!;
            if (name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase) || type == "view")
                continue;
            if (type is "virtual" or "shadow")
            {
                model.Notes.Add(type == "virtual"
                    ? $"Virtual table {name} (a SQLite module such as FTS or R*Tree) is not copied."
                    : $"Table {name} belongs to a virtual table's storage and is not copied.");
                continue;
            }

            all.Add(new TableEntry(name, Convert.ToInt64(row[2], CultureInfo.InvariantCulture) == 1, Convert.ToInt64(row[3], CultureInfo.InvariantCulture) == 1, schemaSql.GetValueOrDefault(("table", name))));
        }

        // Every name in the file, for SQLite's reading of "quoted" words that name nothing as strings.
        _translator.KnownNames.UnionWith(all.Select(t => t.Name));
        _translator.KnownNames.UnionWith(schemaSql.Keys.Where(k => k.Type == "view").Select(k => k.Name));
        foreach (var entry in all)
        {
            foreach (var row in await _catalog.ColumnsAsync(entry.Name, cancellationToken))
                _translator.KnownNames.Add((string)row[1]!);
        }

        var selected = Select(all);
        var sequences = await SequencesAsync(schemaSql, cancellationToken);
        var foreignKeys = new Dictionary<TableModel, (List<SqliteForeignKeys.Row> Rows, List<SqliteForeignKeyClause> Clauses)>();
        foreach (var entry in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var table = await TableAsync(entry, sequences, schemaSql, cancellationToken);
            model.Tables.Add(table);
            var rows = (await _catalog.ForeignKeysAsync(entry.Name, cancellationToken)).Select(SqliteForeignKeys.Row.Of).ToList();
            foreignKeys[table] = (rows, SqliteCreateTable.Parse(entry.Sql).ForeignKeys);
        }

        var resolver = new SqliteForeignKeys(options.Names, model.Tables, all.Select(t => t.Name).ToList());
        foreach (var table in model.Tables)
            resolver.Resolve(table, foreignKeys[table].Rows, foreignKeys[table].Clauses);

        if (model.Tables.Any(t => t.ForeignKeys.Count > 0))
            model.Notes.Add("SQLite enforces foreign keys only when an application turns them on: orphan rows may exist and are reported when the constraints are validated.");

        _translator.Scope.DefaultTable = null;
        var tableNames = all.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var selectedNames = selected.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var ((type, name), sql) in schemaSql.OrderBy(e => e.Key.Name, StringComparer.Ordinal))
        {
            if (type != "view" || sql is null)
                continue;
            var view = View(name, sql);
            // With --tables, a view comes along only when every table it reads is copied too.
            if (selectedNames.Count < tableNames.Count && _translator.Identifiers.Any(i => tableNames.Contains(i) && !selectedNames.Contains(i)))
                continue;
            model.Views.Add(view);
        }

        return model;
    }

    List<TableEntry> Select(List<TableEntry> all) => TableSelection.Of(options.Tables, options.Names).Select(all, t => (null, t.Name),
        missing => $"Table '{missing[0]}' is not in SQLite file '{path}'. Its tables are: {string.Join(", ", all.Select(t => t.Name))}.");

    async Task<Dictionary<string, long>> SequencesAsync(Dictionary<(string, string), string?> schemaSql, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (!schemaSql.ContainsKey(("table", "sqlite_sequence")))
            return result;
        foreach (var row in await _catalog.SequencesAsync(cancellationToken))
        {
            if (row[0] is string name && row[1] is not null)
                result[name] = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
        }

        return result;
    }

    async Task<TableModel> TableAsync(TableEntry entry, Dictionary<string, long> sequences, Dictionary<(string Type, string Name), string?> schemaSql, CancellationToken cancellationToken)
    {
        var create = SqliteCreateTable.Parse(entry.Sql);
        var xinfo = (await _catalog.ColumnsAsync(entry.Name, cancellationToken))
            .Where(r => Hidden(r) != 1) // hidden columns of virtual tables
            .ToList();
        var names = xinfo.Select(r => (string)r[1]!).ToList();
        string? rowid = entry.WithoutRowid ? null : new[] { "rowid", "_rowid_", "oid" }.FirstOrDefault(n => !names.Contains(n, StringComparer.OrdinalIgnoreCase));
        var pk = xinfo.Where(r => Convert.ToInt64(r[5], CultureInfo.InvariantCulture) > 0)
            .OrderBy(r => Convert.ToInt64(r[5], CultureInfo.InvariantCulture)).Select(r => (string)r[1]!).ToList();
        var rowidAlias = !entry.WithoutRowid && pk.Count == 1
            && string.Equals(((string?)xinfo.First(r => (string)r[1]! == pk[0])[2])?.Trim(), "INTEGER", StringComparison.OrdinalIgnoreCase)
            ? pk[0] : null;

        // Mapping rules first, then one pass over the data.
        var mapped = xinfo.Select(r => SqliteTypeRules.Match((string?)r[2] ?? "")).ToList();
        // STRICT tables enforce their types (INT, INTEGER, REAL, TEXT, BLOB): only their ANY columns need looking at.
        var profiled = xinfo.Select((r, i) => new SqliteDataProfile.Column((string)r[1]!, mapped[i].Type, mapped[i].Rule.Policy,
            Scan: options.ProfileData && (string)r[1]! != rowidAlias && (!entry.Strict || ((string?)r[2] ?? "").Equals("ANY", StringComparison.OrdinalIgnoreCase)))).ToList();
        // A copy that loads leaves the values to its readers where nothing is left for them to decide (a generated
        // column is never read, so its table is profiled).
        var deferred = deferral is not null
            && !deferral.ProfiledTables.Contains(entry.Name)
            && !xinfo.Any(r => IsGenerated(Hidden(r)))
            && SqliteDataProfile.CanDefer(profiled);
        var profile = await Task.Run(
            () => deferred
                ? SqliteDataProfile.Unscanned(path, entry.Name, profiled.Count, rowid)
                : SqliteDataProfile.Scan(path, entry.Name, SqliteNative.Quote(entry.Name), profiled, rowid, cancellationToken),
            cancellationToken);
        var notes = new List<string>();
        var columns = new List<ColumnModel>();
        var declaredByColumn = new Dictionary<string, PgType>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < xinfo.Count; i++)
        {
            var r = xinfo[i];
            var name = (string)r[1]!;
            var declaredType = (string?)r[2] ?? "";
            var (rule, declared) = mapped[i];
            var notNull = Convert.ToInt64(r[3], CultureInfo.InvariantCulture) == 1;
            ColumnModel column;
            if (name == rowidAlias)
            {
                column = new ColumnModel
                {
                    SourceName = name,
                    SourceType = declaredType,
                    TargetName = Target(name),
                    Type = PgType.BigInt,
                    Rule = "INTEGER PRIMARY KEY (rowid alias) → bigint identity",
                    Identity = true,
                    NotNull = true,
                    IdentityLast = create.Column(name).Autoincrement && sequences.TryGetValue(entry.Name, out var seq) ? seq : null,
                };
            }
            else
            {
                var decisions = new List<string>();
                var type = SqliteDataDecision.Decide(rule, declared, profile.Columns[i], profile.Rows, decisions);
                column = new ColumnModel
                {
                    SourceName = name,
                    SourceType = declaredType,
                    TargetName = Target(name),
                    Type = type,
                    Rule = decisions.Count > 0 ? rule.Name + "; data: " + string.Join("; ", decisions) : rule.Name,
                    NotNull = notNull,
                };
                if (decisions.Count > 0)
                    notes.Add($"Column {name} ({(declaredType.Length == 0 ? "no declared type" : declaredType)} → {column.Type.ToSql()}): {string.Join("; ", decisions)}.");
            }

            declaredByColumn[name] = declared;
            column.DefaultSql = SqliteDefaults.Translate(r[4] as string, column.Type, out var defaultProblem);
            if (defaultProblem is not null)
                notes.Add($"Column {name}: {defaultProblem}.");
            Collation(entry.Name, column, notes);
            columns.Add(column);
        }

        var table = new TableModel
        {
            SourceName = entry.Name,
            TargetName = Target(entry.Name),
            Columns = columns,
            EstimatedRows = profile.Rows,
            SourceState = new SqliteTableState(rowid, profile.MinRowid, profile.MaxRowid, deferred ? profiled : null),
            Notes = notes,
        };
        if (entry.WithoutRowid)
            notes.Add("WITHOUT ROWID table: read in one piece (it has no rowid to split on).");
        if (pk.Count > 0)
        {
            var key = new KeyModel(create.PrimaryKeyName is { } pkName ? Target(pkName) : null, pk.Select(Target).ToList());
            // SQLite lets NULL into the primary key of a rowid table (a legacy quirk); PostgreSQL's cannot hold one.
            var nullable = rowidAlias is null && !entry.WithoutRowid
                ? (await _catalog.QueryAsync($"SELECT count(*) FROM {SqliteNative.Quote(entry.Name)} WHERE {string.Join(" OR ", pk.Select(c => SqliteNative.Quote(c) + " IS NULL"))}", cancellationToken))[0][0]
                : null;
            if (nullable is not null && Convert.ToInt64(nullable, CultureInfo.InvariantCulture) > 0)
            {
                table.UniqueKeys.Add(key);
                notes.Add($"Primary key ({string.Join(", ", pk)}) holds NULL in {Convert.ToInt64(nullable, CultureInfo.InvariantCulture)} rows (SQLite allows it): it becomes a unique constraint.");
            }
            else
            {
                table.PrimaryKey = key;
            }
        }

        _translator.Scope.Add(entry.Name, columns);
        _translator.Scope.DefaultTable = entry.Name; // CHECKs, indexes and generated columns see their table's columns
        // SQL of this table that names its column "" names the planner's column_N.
        _translator.UnnamedColumn = table.Columns.FindIndex(c => c.SourceName.Length == 0) is var unnamed and >= 0 ? Naming.UnnamedColumn(unnamed + 1) : null;
        GeneratedColumns(table, create, xinfo.ToDictionary(r => (string)r[1]!, Hidden, StringComparer.OrdinalIgnoreCase));
        foreach (var column in columns.Where(c => c.Type.Kind == PgTypeKind.Boolean))
            _translator.BooleanColumns.Add(column.SourceName);
        Checks(table, create, declaredByColumn);
        await new SqliteIndexes(_catalog, _translator, options.Names, schemaSql).AddAsync(table, cancellationToken);
        _translator.UnnamedColumn = null;
        return table;
    }

    void Collation(string table, ColumnModel column, List<string> notes)
    {
        var rc = raw.sqlite3_table_column_metadata(connection.Handle, "main", table, column.SourceName, out string _, out string collation, out int _, out int _, out int _);
        if (rc != raw.SQLITE_OK || collation is null || collation.Equals("BINARY", StringComparison.OrdinalIgnoreCase))
            return;
        notes.Add(collation.ToUpperInvariant() switch
        {
            "NOCASE" => $"Column {column.SourceName} is COLLATE NOCASE: PostgreSQL compares it case-sensitively (consider citext or a nondeterministic ICU collation).",
            "RTRIM" => $"Column {column.SourceName} is COLLATE RTRIM: PostgreSQL compares trailing spaces.",
            _ => $"Column {column.SourceName} uses SQLite collation {collation}, which PostgreSQL does not have; it gets the database's default.",
        });
    }

    /// <summary>pragma_table_xinfo's <c>hidden</c> of a row of the query above: 1 a virtual table's hidden column, 2 and 3 generated.</summary>
    static long Hidden(object?[] xinfo) => Convert.ToInt64(xinfo[6], CultureInfo.InvariantCulture);

    /// <summary>A generated column (VIRTUAL: hidden 2, STORED: 3): never read, PostgreSQL computes it.</summary>
    static bool IsGenerated(long hidden) => hidden is 2 or 3;

    void GeneratedColumns(TableModel table, SqliteCreateTable create, Dictionary<string, long> hidden)
    {
        var generated = table.Columns.Where(c => IsGenerated(hidden.GetValueOrDefault(c.SourceName))).ToList();
        var generatedNames = generated.Select(c => c.SourceName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in generated)
        {
            var expression = create.Columns.TryGetValue(column.SourceName, out var d) ? d.Generated : null;
            var sql = expression is null ? null : _translator.Translate(expression);
            string? problem = expression is null ? "its expression was not found" : _translator.Problem;
            if (sql is not null && _translator.Identifiers.Any(generatedNames.Contains))
                problem = "it refers to another generated column, which PostgreSQL does not allow";
            else if (sql is not null && _translator.Functions.Overlaps(["date", "time", "datetime", "julianday", "unixepoch", "strftime", "printf", "format"]))
                problem = "its date or format functions are not immutable in PostgreSQL";
            if (problem is null && sql is not null)
            {
                column.GeneratedSql = sql;
                column.DefaultSql = null;
            }
            else
            {
                table.Notes.Add($"Generated column {column.SourceName}: {problem}; its values are copied as plain data.");
            }
        }
    }

    void Checks(TableModel table, SqliteCreateTable create, Dictionary<string, PgType> declaredByColumn)
    {
        var all = create.Checks.Concat(create.Columns.Values.SelectMany(c => c.Checks));
        foreach (var check in all)
        {
            var source = SqliteLexer.Join(check.Expression);
            var sql = _translator.Translate(check.Expression);
            var problem = _translator.Problem;
            if (sql is not null)
            {
                foreach (var name in _translator.Identifiers)
                {
                    var column = table.Columns.FirstOrDefault(c => c.SourceName.Equals(name, StringComparison.OrdinalIgnoreCase));
                    if (column is null)
                        continue;
                    if (column.Type.Kind == PgTypeKind.Boolean)
                        problem = $"column {column.SourceName} is boolean in PostgreSQL, which already restricts its values";
                    else if (declaredByColumn.TryGetValue(column.SourceName, out var declared) && declared != column.Type && !column.Identity)
                        problem = $"column {column.SourceName} became {column.Type.ToSql()} because of its data";
                }
            }

            if (problem is null && sql is not null)
                table.Checks.Add(new CheckModel(check.Name is { } n ? Target(n) : null, sql));
            else
                table.Notes.Add($"CHECK ({source}) not copied: {problem}.");
        }
    }

    ViewModel View(string name, string sql)
    {
        var view = new ViewModel { SourceName = name, TargetName = Target(name), SourceSql = sql };
        var parsed = SqliteCreateView.Parse(sql);
        if (parsed is null)
        {
            view.Problem = "its CREATE VIEW statement could not be read";
            return view;
        }

        var select = _translator.Translate(parsed.Select);
        if (select is null)
        {
            view.Problem = _translator.Problem;
            return view;
        }

        view.TargetSql = parsed.Columns is { } columns
            ? $"SELECT * FROM ({select}) AS v({string.Join(", ", columns.Select(_translator.Name))})"
            : select;
        return view;
    }
}
