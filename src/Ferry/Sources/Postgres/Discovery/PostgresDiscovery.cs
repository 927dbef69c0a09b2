using Ferry.Schema;
using Ferry.Sources.Postgres.Deparsed;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// Describes a PostgreSQL source's tables in the server's own words: <c>format_type</c> types (kept as they are),
/// <c>pg_get_expr</c> defaults, generated columns and checks, identities with their sequences' options and last
/// values, keys, foreign keys with their actions and deferrability, and <c>pg_get_indexdef</c> indexes.
/// </summary>
internal sealed class PostgresDiscovery(string description, NpgsqlConnection connection, int serverVersion, SourceOptions options, PostgresOptions postgres)
{
    readonly PostgresCatalog _catalog = new(connection);
    readonly PostgresNames _names = new(options.Names, postgres.SchemaMap);

    public async Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken)
    {
        await _catalog.QualifyEverythingAsync(cancellationToken);
        var schemas = postgres.SourceSchemas.Count > 0
            ? postgres.SourceSchemas.ToArray()
            : (await _catalog.SchemasAsync(cancellationToken)).Select(r => (string)r[0]!).ToArray();
        var all = await _catalog.TablesAsync(schemas, cancellationToken);
        await RefuseMissingSchemasAsync(schemas, cancellationToken);
        var rows = TableSelection.Of(options.Tables, options.Names).Select(all, r => ((string?)r[1], (string)r[2]!),
            missing => $"--tables: the source has no table '{missing[0]}'. Its tables are: {string.Join(", ", all.Select(r => $"{r[1]}.{r[2]}"))}.");
        var oids = rows.Select(r => (long)r[0]!).ToArray();
        var columns = (await _catalog.ColumnsAsync(oids, cancellationToken)).ToLookup(r => (long)r[0]!);
        var constraints = (await _catalog.ConstraintsAsync(oids, cancellationToken)).ToLookup(r => (long)r[0]!);
        var indexes = (await _catalog.IndexesAsync(oids, cancellationToken)).ToLookup(r => (long)r[0]!);
        var model = new SourceModel { Source = description };
        foreach (var row in rows)
            _names.Copies((string)row[1]!, (string)row[2]!);
        var (objects, objectNotes) = await PostgresServerObjects.DiscoverAsync(connection, _names, schemas, oids, postgres.WithFunctions, cancellationToken);
        model.ServerObjects.AddRange(objects);
        model.Notes.AddRange(objectNotes);
        var partitioned = new List<(long, TableModel, IReadOnlyDictionary<string, string>)>();
        var copied = new Dictionary<long, IReadOnlyDictionary<string, string>>();
        foreach (var row in rows)
        {
            var oid = (long)row[0]!;
            var schema = (string)row[1]!;
            var name = (string)row[2]!;
            var renames = _names.ColumnRenames(columns[oid].Select(c => (string)c[1]!));
            var table = new TableModel
            {
                SourceSchema = schema,
                SourceName = name,
                TargetSchema = _names.Schema(schema),
                TargetName = _names.Name(name),
                Columns = columns[oid].Select(c => Column(c, renames)).ToList(),
                PartitionBy = row[5] is string partitionBy ? _names.Rewrite(partitionBy, renames) : null,
                Comment = (string?)row[8],
                Unlogged = (bool)row[4]!,
                BinaryValues = true,
                EstimatedRows = (long?)row[6] ?? (long)row[7]! * 60,
                SourceState = new PostgresTableState((string)row[3]! == "p", (long)row[7]!),
            };
            PostgresConstraints.Add(table, constraints[oid], _names, renames);
            if ((postgres.KeyRanges || serverVersion < 140000) && IntegerKey(table) is { } key)
                table.SourceState = (PostgresTableState)table.SourceState! with { RangeKey = Identifiers.Quote(key) };
            foreach (var index in indexes[oid])
            {
                var definition = ServerIndexDefinition.Parse((string)index[1]!);
                table.Indexes.Add(new IndexModel(definition.Name, [], definition.Unique) { ServerSql = _names.Rewrite(definition.Rest, renames), Comment = (string?)index[2] });
            }
            model.Tables.Add(table);
            copied[oid] = renames;
            if (table.PartitionBy is not null)
                partitioned.Add((oid, table, renames));
        }

        await new PostgresPartitions(_catalog, _names).AddAsync(partitioned, cancellationToken);
        await new PostgresViews(_catalog, _names, options.Tables is { Count: > 0 }).AddAsync(model, schemas, copied, cancellationToken);

        return model;
    }

    /// <summary>The built-in type a text-valued column's rewritten values are written as (see <see cref="VerbatimTypeName.Text"/>).</summary>
    static PgType? TextForm(string? form, string typeSql)
    {
        if (form is null)
            return null;
        if (form == "enum")
            return PgType.EnumOf(typeSql);
        try
        {
            return PgType.Parse(form);
        }
        catch (FerryException)
        {
            return PgType.Text; // citext, name: text without a length.
        }
    }

    /// <summary>A schema <c>--source-schemas</c> names that the source does not have is refused, naming those it has.</summary>
    async Task RefuseMissingSchemasAsync(string[] schemas, CancellationToken cancellationToken)
    {
        if (postgres.SourceSchemas.Count == 0)
            return;
        var existing = (await _catalog.QueryAsync("SELECT nspname FROM pg_namespace WHERE nspname = ANY ($1)", schemas, cancellationToken)).Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        if (schemas.FirstOrDefault(s => !existing.Contains(s)) is { } missing)
        {
            var all = (await _catalog.SchemasAsync(cancellationToken)).Select(r => (string)r[0]!);
            throw new FerryException($"--source-schemas: {description} has no schema '{missing}' (names are case-sensitive). Its schemas are: {string.Join(", ", all)}.");
        }
    }

    /// <summary>The source name of a table's single-column integer primary key, or null.</summary>
    static string? IntegerKey(TableModel table) =>
        table.PrimaryKey is { Columns: [var key] } && table.Columns.FirstOrDefault(c => c.TargetName == key) is { Type.Verbatim.CatalogName: "int2" or "int4" or "int8" } column
            ? column.SourceName
            : null;

    /// <summary>A column from a row of columns.sql's shape (a derived table's columns come in it too).</summary>
    internal ColumnModel Column(object?[] row, IReadOnlyDictionary<string, string> renames)
    {
        var typeSql = (string)row[2]!;
        var typeSchema = (string)row[5]!;
        // A type of a copied schema moves with it; an extension's type stays where the extension puts it.
        if (row[15] is null && postgres.SchemaMap.TryGetValue(typeSchema, out var mapped) && typeSql.StartsWith(Identifiers.Quote(typeSchema) + ".", StringComparison.Ordinal))
            typeSql = Identifiers.Quote(mapped) + typeSql[Identifiers.Quote(typeSchema).Length..];
        var identity = (string)row[10]!;
        return new ColumnModel
        {
            SourceName = (string)row[1]!,
            SourceType = (string)row[2]!,
            TargetName = _names.Name((string)row[1]!),
            Type = PgType.VerbatimOf(new VerbatimTypeName(typeSql, (string)row[3]!, (uint)(long)row[4]!) { Text = TextForm((string?)row[16], typeSql) }),
            Rule = "PostgreSQL type, kept",
            NotNull = (bool)row[7]!,
            DefaultSql = row[8] is string defaultSql ? _names.Rewrite(defaultSql, renames) : null,
            GeneratedSql = row[9] is string generated ? _names.Rewrite(generated, renames) : null,
            Identity = identity.Length > 0,
            IdentitySql = identity.Length > 0 ? $"GENERATED {(identity == "a" ? "ALWAYS" : "BY DEFAULT")} AS IDENTITY ({row[11]})" : null,
            IdentityLast = (long?)row[12],
            Collation = row[13] is string collation ? _names.MapQualified(collation) : null,
            CollationQualified = row[13] is not null,
            Comment = (string?)row[14],
        };
    }
}
