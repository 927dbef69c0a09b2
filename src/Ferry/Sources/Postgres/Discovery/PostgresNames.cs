using Ferry.Schema;
using Ferry.Sources.Postgres.Deparsed;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// How a PostgreSQL source's names become the target's: schemas by <c>--schema-map</c>, relations (tables, views,
/// sequences) and columns by <c>--names</c>; and the server's deparsed SQL (defaults, generated columns, checks,
/// constraint and index definitions) rewritten to them, token by token (<see cref="DeparsedSql"/>).
/// </summary>
internal sealed class PostgresNames(NamingRule rule, IReadOnlyDictionary<string, string> schemaMap)
{
    /// <summary>The relations copied (schema, name as the source spells them): only their names in regclass literals change.</summary>
    readonly HashSet<(string Schema, string Name)> _relations = [];

    /// <summary>Objects an extension owns in a mapped schema: the extension puts them where it does, so they do not move.</summary>
    readonly HashSet<(string Schema, string Name)> _kept = [];

    public NamingRule Rule => rule;

    public string Schema(string sourceSchema) => schemaMap.GetValueOrDefault(sourceSchema) ?? sourceSchema;

    public string Name(string sourceName) => rule.Apply(sourceName);

    /// <summary>A relation the copy creates: a regclass literal naming it is mapped to its target name.</summary>
    public void Copies(string schema, string name) => _relations.Add((schema, name));

    /// <summary>Whether the copy makes the relation (a table registered with <see cref="Copies"/>, so also its row type).</summary>
    public bool Makes(string schema, string name) => _relations.Contains((schema, name));

    /// <summary>An extension's object (schema, name): a qualified name naming it is kept, even in a mapped schema.</summary>
    public void Keeps(string schema, string name) => _kept.Add((schema, name));

    /// <summary>
    /// Qualified names in server-written SQL (<see cref="DeparsedQualifiedNames"/>): a copied relation's (its row type)
    /// becomes its target name; another object of a mapped schema (type, function) moves with its schema.
    /// </summary>
    public string MapQualified(string sql) => schemaMap.Count == 0 && rule == NamingRule.Preserve ? sql : DeparsedQualifiedNames.Rename(sql, (schema, name) =>
        _relations.Contains((schema, name)) ? (Schema(schema), Name(name))
        : schemaMap.TryGetValue(schema, out var mapped) && !_kept.Contains((schema, name)) ? (mapped, name) : null);

    /// <summary>The columns of a table whose target names differ from the source's (source → target).</summary>
    public IReadOnlyDictionary<string, string> ColumnRenames(IEnumerable<string> sourceColumns)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in sourceColumns)
        {
            if (Name(column) is var target && target != column)
                renames[column] = target;
        }

        return renames;
    }

    /// <summary>Deparsed SQL of a table's: its column references and the regclass literals of copied relations renamed.</summary>
    public string Rewrite(string sql, IReadOnlyDictionary<string, string> columnRenames)
    {
        var renamed = DeparsedSql.RenameColumns(sql, columnRenames);
        if (schemaMap.Count == 0 && rule == NamingRule.Preserve)
            return renamed;
        return DeparsedSql.RenameRelations(MapQualified(renamed), "public", (schema, name) =>
            _relations.Contains((schema, name)) ? (Schema(schema), Name(name)) : null);
    }
}
