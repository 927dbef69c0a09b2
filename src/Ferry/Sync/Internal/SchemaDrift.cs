using Ferry.Schema;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>A staged column the target lacks (to add), with its type.</summary>
internal sealed record AddedColumn(string Name, string Type);

/// <summary>
/// How a source table's columns, as staged, differ from its target's: columns the source gained (added to the target,
/// nullable, under <c>--on-schema-change add</c>), and columns it lost or whose type changed (which stop the table:
/// rows could no longer be written as they were).
/// </summary>
internal sealed record SchemaDrift(IReadOnlyList<AddedColumn> Added, IReadOnlyList<string> Dropped, IReadOnlyList<(string Name, string Was, string Now)> Retyped)
{
    /// <summary>Compares the staging table <paramref name="stage"/> (in pg_temp) with <paramref name="target"/>, whose planned columns are <paramref name="planned"/> (generated ones too).</summary>
    public static async Task<SchemaDrift> CompareAsync(NpgsqlConnection connection, string stage, string target, IReadOnlyList<string> planned, CancellationToken cancellationToken)
    {
        var added = new List<AddedColumn>();
        var retyped = new List<(string, string, string)>();
        var dropped = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT s.attname, format_type(s.atttypid, s.atttypmod), format_type(t.atttypid, t.atttypmod)
            FROM pg_attribute s
            LEFT JOIN pg_attribute t ON t.attrelid = $2::regclass AND t.attname = s.attname AND t.attnum > 0 AND NOT t.attisdropped
            WHERE s.attrelid = $1::regclass AND s.attnum > 0 AND NOT s.attisdropped
            ORDER BY s.attnum
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = "pg_temp." + Identifiers.Quote(stage) });
            command.Parameters.Add(new NpgsqlParameter { Value = target });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (name, now) = (reader.GetString(0), reader.GetString(1));
                if (reader.IsDBNull(2))
                    added.Add(new AddedColumn(name, now));
                else if (reader.GetString(2) is var was && was != now)
                    retyped.Add((name, was, now));
            }
        }

        await using (var command = new NpgsqlCommand("SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND NOT (attname = ANY($2)) ORDER BY attnum", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = target });
            command.Parameters.Add(new NpgsqlParameter { Value = planned.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                dropped.Add(reader.GetString(0));
        }

        return new SchemaDrift(added, dropped, retyped);
    }

    public bool None => Added.Count == 0 && Dropped.Count == 0 && Retyped.Count == 0;

    /// <summary>Why the table stops under <paramref name="rule"/>, naming each column and the command that handles it; null when it goes on.</summary>
    public string? Refusal(SchemaChangeRule rule, string source, string target)
    {
        var problems = new List<string>();
        foreach (var name in Dropped)
            problems.Add($"column {name} of {target} is no longer in {source}: drop it (ALTER TABLE {target} DROP COLUMN {Identifiers.Quote(name)}) or give it back to the source, then run ferry sync again");
        foreach (var (name, was, now) in Retyped)
            problems.Add($"column {name} of {source} is now {now} (the target's is {was}): change the target's (ALTER TABLE {target} ALTER COLUMN {Identifiers.Quote(name)} TYPE {now} USING {Identifiers.Quote(name)}::{now}), or keep it by --cast {source}.{name}={was}, then run ferry sync again");
        if (rule == SchemaChangeRule.Fail)
        {
            foreach (var column in Added)
                problems.Add($"column {column.Name} ({column.Type}) is new in {source} (--on-schema-change fail): add it (ALTER TABLE {target} ADD COLUMN {Identifiers.Quote(column.Name)} {column.Type}) or sync with --on-schema-change add");
        }

        return problems.Count == 0 ? null : "The schema changed: " + string.Join("; ", problems) + ". Nothing of this table was applied.";
    }
}
