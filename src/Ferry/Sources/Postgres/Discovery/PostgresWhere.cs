namespace Ferry.Sources.Postgres.Discovery;

/// <summary>Finds the tables <c>--where</c> names (<c>name</c> or <c>schema.name</c>, as the source spells them).</summary>
internal static class PostgresWhere
{
    public static Dictionary<(string Schema, string Name), string> Resolve(IReadOnlyDictionary<string, string> where, IReadOnlyList<(string Schema, string Name)> tables, string description)
    {
        var resolved = new Dictionary<(string, string), string>();
        foreach (var (named, condition) in where)
        {
            var matches = tables.Where(t => t.Schema + "." + t.Name == named).ToList();
            if (matches.Count == 0)
                matches = tables.Where(t => t.Name == named).ToList();
            if (matches.Count == 0)
                throw new FerryException($"--where '{named}: …': {description} has no table '{named}' among those copied. Its tables are: {string.Join(", ", tables.Select(t => t.Schema + "." + t.Name))}.");
            if (matches.Count > 1)
                throw new FerryException($"--where '{named}: …': tables of several schemas are named '{named}' ({string.Join(", ", matches.Select(t => t.Schema + "." + t.Name))}); write schema.table.");
            resolved[matches[0]] = condition;
        }

        return resolved;
    }
}
