using Ferry.Schema;
using Ferry.Sources.Postgres.Deparsed;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// The partitions of a PostgreSQL source's partitioned tables, each with its bound, its own PARTITION BY when it is
/// partitioned itself, and what is declared on it alone (checks, keys, indexes); its parent's come with PARTITION OF.
/// </summary>
internal sealed class PostgresPartitions(PostgresCatalog catalog, PostgresNames names)
{
    static readonly string PartitionsSql = Internal.EmbeddedSql.Catalog(typeof(PostgresPartitions), "partitions.sql");

    /// <summary>Adds to each partitioned table (its oid, model and column renames) its partitions.</summary>
    public async Task AddAsync(IReadOnlyList<(long Oid, TableModel Table, IReadOnlyDictionary<string, string> Renames)> tables, CancellationToken cancellationToken)
    {
        if (tables.Count == 0)
            return;
        var rows = await catalog.QueryAsync(PartitionsSql, tables.Select(t => t.Oid).ToArray(), cancellationToken);
        var oids = rows.Select(r => (long)r[1]!).ToArray();
        var constraints = (await catalog.ConstraintsAsync(oids, cancellationToken)).ToLookup(r => (long)r[0]!);
        var indexes = (await catalog.IndexesAsync(oids, cancellationToken)).ToLookup(r => (long)r[0]!);
        var byOid = tables.ToDictionary(t => t.Oid);
        foreach (var row in rows)
        {
            var (_, table, renames) = byOid[(long)row[0]!];
            var schema = (string)row[2]!;
            var name = (string)row[3]!;
            if ((string)row[10]! == "f")
                throw new FerryException($"Partition {schema}.{name} of {table.QualifiedSourceName} is a foreign table: its rows live on another server, which the copy cannot create. Nothing was written. Leave {table.QualifiedSourceName} out with --tables.");
            var partition = new PartitionModel
            {
                SourceSchema = schema,
                SourceName = name,
                TargetSchema = names.Schema(schema),
                TargetName = names.Name(name),
                Parent = ((string)row[4]!, (string)row[5]!),
                Bound = (string)row[6]!,
                PartitionBy = row[7] is string partitionBy ? names.Rewrite(partitionBy, renames) : null,
                Unlogged = (bool)row[8]!,
                Comment = (string?)row[9],
            };
            AddDeclared(table, partition, constraints[(long)row[1]!], indexes[(long)row[1]!], renames);
            table.Partitions.Add(partition);
        }
    }

    void AddDeclared(TableModel table, PartitionModel partition, IEnumerable<object?[]> constraints, IEnumerable<object?[]> indexes, IReadOnlyDictionary<string, string> renames)
    {
        var declared = new TableModel { SourceSchema = partition.SourceSchema, SourceName = partition.SourceName, Columns = [] };
        PostgresConstraints.Add(declared, constraints, names, renames);
        partition.Checks.AddRange(declared.Checks.Select(c => c with { Name = c.Name is null ? null : Identifiers.Truncate(names.Name(c.Name)) }));
        foreach (var key in (declared.PrimaryKey is { } pk ? [pk] : Enumerable.Empty<KeyModel>()).Concat(declared.UniqueKeys).Concat(declared.Exclusions))
            partition.Keys.Add(key with { Name = Identifiers.Truncate(names.Name(key.Name!)) });
        table.Notes.AddRange(declared.Notes.Select(n => $"partition {partition.SourceName}: {n}"));
        foreach (var fk in declared.ForeignKeys)
        {
            if (names.Makes(fk.ReferencedSchema!, fk.ReferencedTable))
                partition.ForeignKeys.Add(fk);
            else
                table.Notes.Add($"partition {partition.SourceName}: foreign key {fk.Name} references {fk.ReferencedSchema}.{fk.ReferencedTable}, which is not copied; not created");
        }
        foreach (var index in indexes)
        {
            var definition = ServerIndexDefinition.Parse((string)index[1]!);
            partition.Indexes.Add(new IndexModel(Identifiers.Truncate(names.Name(definition.Name)), [], definition.Unique)
            {
                ServerSql = names.Rewrite(definition.Rest, renames),
                Comment = (string?)index[2],
            });
        }
    }
}
