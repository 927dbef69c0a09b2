using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// What the copied tables (and functions) need from a PostgreSQL source beyond its tables, read through pg_depend
/// (Catalog/dependencies.sql): the objects in the order they are created (each after what it needs), the
/// extension owning each of the extensions' objects, and which source columns and objects need each one.
/// </summary>
internal sealed class PostgresDependencies
{
    static readonly string Sql = Internal.EmbeddedSql.Catalog(typeof(PostgresDependencies), "dependencies.sql");

    readonly Dictionary<(string Class, long Oid), DependencyNode> _nodes = [];
    readonly Dictionary<(string Class, long Oid), List<(string Class, long Oid)>> _needs = [];
    readonly Dictionary<(string Class, long Oid), List<(string Class, long Oid)>> _neededBy = [];
    readonly Dictionary<(string Class, long Oid), List<string>> _origins = [];

    public static async Task<PostgresDependencies> ReadAsync(NpgsqlConnection connection, long[] tables, long[] functions, CancellationToken cancellationToken)
    {
        var graph = new PostgresDependencies();
        foreach (var row in await PostgresServerObjects.QueryAsync(connection, Sql, cancellationToken, tables, functions))
        {
            var key = ((string)row[0]!, (long)row[1]!);
            graph._nodes.TryAdd(key, new DependencyNode(key.Item1, key.Item2, (string)row[7]!, (string?)row[8], (string?)row[9], (string?)row[5], (string?)row[6]));
            if (row[2] is string dependentClass)
            {
                var dependent = (dependentClass, (long)row[3]!);
                Add(graph._needs, dependent, key);
                Add(graph._neededBy, key, dependent);
            }
            else
            {
                Add(graph._origins, key, (string)row[4]!);
            }
        }

        return graph;
    }

    static void Add<T>(Dictionary<(string, long), List<T>> lists, (string, long) key, T value)
    {
        if (!lists.TryGetValue(key, out var list))
            lists[key] = list = [];
        if (!list.Contains(value))
            list.Add(value);
    }

    /// <summary>Every object, each after the objects it needs (a cycle, which the server would not allow, is cut).</summary>
    public IReadOnlyList<DependencyNode> InCreationOrder()
    {
        var order = new List<DependencyNode>();
        var seen = new HashSet<(string, long)>();
        void Visit((string, long) key)
        {
            if (!seen.Add(key))
                return;
            foreach (var needed in _needs.GetValueOrDefault(key) ?? [])
                Visit(needed);
            order.Add(_nodes[key]);
        }

        foreach (var node in _nodes.Values.OrderBy(n => n.Description, StringComparer.Ordinal))
            Visit((node.Class, node.Oid));
        return order;
    }

    /// <summary>The source's columns and objects (a column, a default, a constraint, an index, a function) that need <paramref name="node"/>.</summary>
    public IReadOnlyList<string> NeededBy(DependencyNode node)
    {
        var origins = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<(string, long)>();
        var pending = new Stack<(string, long)>([(node.Class, node.Oid)]);
        while (pending.TryPop(out var key))
        {
            if (!seen.Add(key))
                continue;
            origins.UnionWith(_origins.GetValueOrDefault(key) ?? []);
            foreach (var dependent in _neededBy.GetValueOrDefault(key) ?? [])
                pending.Push(dependent);
        }

        return [.. origins];
    }
}

/// <summary>
/// An object a copy needs: its catalog (<c>pg_type</c>, <c>pg_proc</c>, …) and OID, how the server describes it,
/// its schema and name (types and functions), and the extension owning it with that extension's schema.
/// </summary>
internal sealed record DependencyNode(string Class, long Oid, string Description, string? Schema, string? Name, string? Extension, string? ExtensionSchema);
