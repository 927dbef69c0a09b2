using Ferry.Schema;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// What a PostgreSQL source's copied tables need besides themselves, in the order the copy makes it: the
/// extensions owning a type, function or operator class they use, the sequences of the copied schemas, the
/// collations, types and functions they use (transitively, each after what it needs), the serial sequences' owners,
/// and, with <c>--with-functions</c>, every function of the schemas and the tables' triggers. What is not copied is a note.
/// </summary>
internal static class PostgresServerObjects
{
    public static async Task<(List<ServerObject> Objects, List<string> Notes)> DiscoverAsync(
        NpgsqlConnection connection, PostgresNames names, string[] schemas, long[] tables, bool withFunctions, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var (sequences, owners) = await PostgresSequences.ReadAsync(connection, schemas, tables, names, cancellationToken);
        var functions = (await PostgresFunctions.ReadAsync(connection, schemas, [], cancellationToken)).ToDictionary(r => (long)r[0]!);
        var graph = await PostgresDependencies.ReadAsync(connection, tables, withFunctions ? [.. functions.Keys] : [], cancellationToken);
        var order = graph.InCreationOrder();
        foreach (var node in order.Where(n => n.Extension is not null && n.Schema is not null))
            names.Keeps(node.Schema!, node.Name!);
        var needed = order.Where(n => n.Extension is null && n.Class == "pg_proc" && !functions.ContainsKey(n.Oid)).Select(n => n.Oid).ToArray();
        if (needed.Length > 0)
        {
            foreach (var row in await PostgresFunctions.ReadAsync(connection, [], needed, cancellationToken))
                functions[(long)row[0]!] = row;
        }

        var types = await PostgresTypes.ReadAsync(connection, [.. order.Where(n => n.Extension is null && n.Class == "pg_type").Select(n => n.Oid)], names, notes, cancellationToken);
        var collations = await PostgresCollations.ReadAsync(connection, [.. order.Where(n => n.Extension is null && n.Class == "pg_collation").Select(n => n.Oid)], names, cancellationToken);
        var objects = Extensions(graph, order);
        objects.AddRange(sequences);
        var created = new HashSet<long>();
        foreach (var node in order.Where(n => n.Extension is null))
        {
            if (node.Class == "pg_type" && types.GetValueOrDefault(node.Oid) is { } type)
            {
                objects.Add(type);
            }
            else if (collations.TryGetValue(node.Oid, out var collation) && node.Class == "pg_collation")
            {
                objects.Add(collation);
            }
            else if (node.Class == "pg_proc" && functions.TryGetValue(node.Oid, out var row) && PostgresFunctions.Function(row, names) is { } function)
            {
                objects.Add(function);
                created.Add(node.Oid);
            }
            else if (node.Class is not ("pg_type" or "pg_proc" or "pg_collation"))
            {
                notes.Add($"{node.Description} is not created (only an extension's are): {string.Join(", ", graph.NeededBy(node))} need it");
            }
        }

        objects.AddRange(owners);
        var triggers = await PostgresFunctions.TriggersAsync(connection, tables, cancellationToken);
        if (withFunctions)
            objects.AddRange(triggers.Select(t => PostgresFunctions.Trigger(t, names.Schema((string)t[4]!), names)));
        NotCopied(functions.Values.Where(f => !created.Contains((long)f[0]!)), withFunctions ? [] : triggers, notes);
        BodiesKept(functions.Values.Where(f => created.Contains((long)f[0]!)).ToList(), names, notes);
        return (objects, notes);
    }

    /// <summary>When names change, one note naming the copied functions (those moved to another schema, else all): their bodies are the source's.</summary>
    static void BodiesKept(List<object?[]> copied, PostgresNames names, List<string> notes)
    {
        var moved = copied.Where(f => names.Schema((string)f[1]!) != (string)f[1]!).ToList();
        if (moved.Count > 0 || names.Rule != NamingRule.Preserve && copied.Count > 0)
            notes.Add($"functions are copied with their bodies as the source has them, naming objects by the source's names: {string.Join(", ", (moved.Count > 0 ? moved : copied).Select(PostgresFunctions.Signature))}");
    }

    /// <summary>CREATE EXTENSION for each extension owning something the copy needs, with the source objects that need it.</summary>
    static List<ServerObject> Extensions(PostgresDependencies graph, IReadOnlyList<DependencyNode> order) =>
        [.. order.Where(n => n.Extension is not null)
            .GroupBy(n => (Name: n.Extension!, Schema: n.ExtensionSchema!))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new ServerObject(ServerObjectKind.Extension, g.Key.Schema, g.Key.Name, [
                .. g.Key.Schema is "public" or "pg_catalog" ? Array.Empty<string>() : [$"CREATE SCHEMA IF NOT EXISTS {Identifiers.Quote(g.Key.Schema)}"],
                $"CREATE EXTENSION IF NOT EXISTS {Identifiers.Quote(g.Key.Name)} WITH SCHEMA {Identifiers.Quote(g.Key.Schema)} CASCADE",
            ])
            {
                NeededBy = [.. g.SelectMany(graph.NeededBy).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            })];

    /// <summary>One note naming the functions and triggers of the source that the copy does not make.</summary>
    static void NotCopied(IEnumerable<object?[]> functions, List<object?[]> triggers, List<string> notes)
    {
        var names = functions.Select(f => ((string)f[3]! == "p" ? "procedure " : (string)f[3]! == "a" ? "aggregate " : "function ") + PostgresFunctions.Signature(f))
            .Concat(triggers.Select(t => $"trigger {t[1]} on {t[4]}.{t[5]}")).ToList();
        if (names.Count > 0)
            notes.Add($"not copied (--with-functions copies every function of the source schemas and the tables' triggers): {string.Join(", ", names)}");
    }

    /// <summary>A catalog query's rows, with its parameters <c>$1</c>, <c>$2</c>… in order.</summary>
    internal static async Task<List<object?[]>> QueryAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await Internal.DataRows.ReadAllAsync(reader, cancellationToken);
    }
}
