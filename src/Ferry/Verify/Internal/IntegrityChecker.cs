using Ferry.Schema;
using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>
/// Integrity of a target table: rows whose foreign key finds no referenced row (every foreign key in the
/// catalog, validated or NOT VALID, and the source's foreign keys the target lacks), and duplicated values of
/// the source's primary and unique keys that no target constraint enforces.
/// </summary>
internal sealed class IntegrityChecker
{
    readonly NpgsqlConnection _connection;
    readonly VerifyOptions _options;
    readonly Func<string, string, CancellationToken, Task<TargetTable?>> _lookup;

    public IntegrityChecker(NpgsqlConnection connection, VerifyOptions options, Func<string, string, CancellationToken, Task<TargetTable?>> lookup)
    {
        _connection = connection;
        _options = options;
        _lookup = lookup;
    }

    /// <summary>A foreign key to check, in target names.</summary>
    internal sealed record Relationship(string Name, IReadOnlyList<string> Columns, string ReferencedSchema, string ReferencedTable, IReadOnlyList<string> ReferencedColumns,
        Deferrability Deferrability = Deferrability.NotDeferrable);

    public async Task CheckAsync(TargetTable target, IEnumerable<(string Name, IReadOnlyList<string> Columns)> declaredKeys, IEnumerable<Relationship> declaredRelationships, TableVerification result, CancellationToken cancellationToken)
    {
        var enforced = target.Keys.Select(k => ColumnSet(k.Columns)).ToHashSet(StringComparer.Ordinal);
        var checkedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, columns) in declaredKeys)
        {
            var set = ColumnSet(columns);
            if (columns.Count == 0 || enforced.Contains(set) || !checkedKeys.Add(set) || columns.Any(c => target.Column(c) is null))
                continue;
            await DuplicatesAsync(target, name, columns, result, cancellationToken);
        }

        var relationships = target.ForeignKeys
            .Select(f => new Relationship(f.Name, f.Columns, f.ReferencedSchema, f.ReferencedTable, f.ReferencedColumns, f.Deferrability))
            .ToList();
        foreach (var declared in declaredRelationships)
        {
            var existing = relationships.FirstOrDefault(r => ColumnSet(r.Columns) == ColumnSet(declared.Columns) && r.ReferencedTable == declared.ReferencedTable);
            if (existing is null)
                relationships.Add(declared);
            else if (existing.Deferrability != declared.Deferrability)
                result.Problems.Add($"foreign key {existing.Name} is {existing.Deferrability.ToSql()} in the target but {declared.Deferrability.ToSql()} in the source: transactions that relied on it checking at commit (or at once) behave differently");
        }

        foreach (var relationship in relationships)
            await OrphansAsync(target, relationship, result, cancellationToken);
    }

    static string ColumnSet(IEnumerable<string> columns) => string.Join('\u0001', columns.Order(StringComparer.Ordinal));

    async Task DuplicatesAsync(TargetTable target, string name, IReadOnlyList<string> columns, TableVerification result, CancellationToken cancellationToken)
    {
        var keyColumns = columns.Select(c => target.Column(c)!).ToList();
        var quoted = string.Join(", ", columns.Select(CanonicalSql.Quote));
        var sql = $"""
            SELECT {string.Join(", ", keyColumns.Select(CanonicalSql.Raw))}, count(*) OVER ()
            FROM {target.QualifiedName}
            WHERE {string.Join(" AND ", columns.Select(c => CanonicalSql.Quote(c) + " IS NOT NULL"))}
            GROUP BY {quoted} HAVING count(*) > 1 ORDER BY {quoted} LIMIT {Math.Max(1, _options.MaxDifferences)}
            """;
        var (count, sample) = await SampleAsync(sql, keyColumns, cancellationToken);
        if (count > 0)
            result.Integrity.Add(new IntegrityProblem(IntegrityProblem.Duplicates, name, columns, null, count, sample));
    }

    async Task OrphansAsync(TargetTable target, Relationship relationship, TableVerification result, CancellationToken cancellationToken)
    {
        var parent = relationship.ReferencedSchema == target.Schema && relationship.ReferencedTable == target.Name
            ? target
            : await _lookup(relationship.ReferencedSchema, relationship.ReferencedTable, cancellationToken);
        var references = $"{relationship.ReferencedSchema}.{relationship.ReferencedTable}({string.Join(", ", relationship.ReferencedColumns)})";
        if (parent is null || relationship.Columns.Any(c => target.Column(c) is null) || relationship.ReferencedColumns.Any(c => parent.Column(c) is null))
        {
            if (parent is null)
                result.Problems.Add($"foreign key {relationship.Name} references {relationship.ReferencedSchema}.{relationship.ReferencedTable}, which is missing in the target");
            return;
        }

        // The rows are named by their key when the table has one, and by their foreign key values.
        var shown = result.Key.Concat(relationship.Columns).Distinct(StringComparer.Ordinal).Select(c => target.Column(c)!).ToList();
        var match = string.Join(" AND ", relationship.Columns.Select((c, i) => $"p.{CanonicalSql.Quote(relationship.ReferencedColumns[i])} = c.{CanonicalSql.Quote(c)}"));
        var sql = $"""
            SELECT {string.Join(", ", shown.Select(CanonicalSql.Raw))}, count(*) OVER ()
            FROM {target.QualifiedName} c
            WHERE {string.Join(" AND ", relationship.Columns.Select(col => "c." + CanonicalSql.Quote(col) + " IS NOT NULL"))}
              AND NOT EXISTS (SELECT 1 FROM {parent.QualifiedName} p WHERE {match})
            ORDER BY {string.Join(", ", shown.Select(col => "c." + CanonicalSql.Quote(col.Name)))} LIMIT {Math.Max(1, _options.MaxDifferences)}
            """;
        var (count, sample) = await SampleAsync(sql, shown, cancellationToken);
        if (count > 0)
            result.Integrity.Add(new IntegrityProblem(IntegrityProblem.Orphans, relationship.Name, relationship.Columns, references, count, sample));
    }

    async Task<(long Count, List<IReadOnlyDictionary<string, object?>> Sample)> SampleAsync(string sql, IReadOnlyList<TargetColumn> columns, CancellationToken cancellationToken)
    {
        long count = 0;
        var sample = new List<IReadOnlyDictionary<string, object?>>();
        await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new string?[columns.Count];
            for (var i = 0; i < values.Length; i++)
                values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            sample.Add(KeyValues.ToDictionary(columns, values));
            count = reader.GetInt64(columns.Count);
        }

        return (count, sample);
    }

    /// <summary>The source model's keys in target column names (skipping keys whose columns cannot be named).</summary>
    public static IEnumerable<(string Name, IReadOnlyList<string> Columns)> DeclaredKeys(PlannedTable table, NamingRule names)
    {
        var keys = table.PrimaryKey is { } pk ? new[] { pk }.Concat(table.Source.UniqueKeys) : table.Source.UniqueKeys;
        foreach (var key in keys)
        {
            var columns = key.Columns.Select(c => Verifier.ResolveColumn(table, c, names)).ToList();
            if (columns.All(c => c is not null))
            {
                var label = key.Name ?? (key == table.PrimaryKey ? "primary key" : "unique") + $" ({string.Join(", ", columns)})";
                yield return (label, columns!);
            }
        }
    }
}
