namespace Ferry.Sources.Postgres;

/// <summary>What only a PostgreSQL source reads: which schemas, where their tables go, and which rows.</summary>
public sealed record PostgresOptions : IEngineOptions
{
    /// <summary><c>--source-schemas a,b</c>: the schemas read; empty means every schema but the system's and Ferry's own.</summary>
    public IReadOnlyList<string> SourceSchemas { get; init; } = [];

    /// <summary><c>--schema-map old=new</c>: the target schema of a source schema's tables, views and types (unmapped ones keep their name).</summary>
    public IReadOnlyDictionary<string, string> SchemaMap { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Ranges by an integer primary key, not by <c>ctid</c>, whatever the server (servers before 14 always get them).</summary>
    internal bool KeyRanges { get; init; }
    /// <summary><c>--with-functions</c>: every function and procedure of the source schemas and the copied tables' triggers, not only the functions the tables need.</summary>
    public bool WithFunctions { get; init; }

    /// <summary>The options given, as the command line names them (<c>--source-schemas, --schema-map</c>); null when none is.</summary>
    internal string? Given()
    {
        var given = new List<string>();
        if (SourceSchemas.Count > 0)
            given.Add("--source-schemas");
        if (SchemaMap.Count > 0)
            given.Add("--schema-map");
        if (WithFunctions)
            given.Add("--with-functions");
        return given.Count == 0 ? null : string.Join(", ", given);
    }

    /// <summary>Parses <c>--schema-map</c> values (<c>old=new</c>).</summary>
    public static IReadOnlyDictionary<string, string> ParseSchemaMap(IEnumerable<string> values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == value.Length - 1)
                throw new FerryException($"--schema-map '{value}': write it as old=new (source schema = target schema), e.g. --schema-map staging=public.");
            var from = value[..eq].Trim();
            if (!map.TryAdd(from, value[(eq + 1)..].Trim()))
                throw new FerryException($"--schema-map: schema '{from}' is mapped twice; give each source schema one target.");
        }

        return map;
    }
}
