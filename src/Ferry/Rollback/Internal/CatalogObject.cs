using Ferry.Schema;

namespace Ferry.Rollback.Internal;

/// <summary>A schema object a rollback drops: <paramref name="Kind"/> is table, view, matview, sequence, type, function or schema.</summary>
internal sealed record CatalogObject(string Schema, string Name, string Kind)
{
    /// <summary>A function's name carries its argument types (<c>f(integer)</c>): quoted apart.</summary>
    public string Sql => Kind switch
    {
        "schema" => Identifiers.Quote(Name),
        "function" => Identifiers.Quote(Schema) + "." + QuoteFunction(Name),
        _ => Identifiers.Qualify(Schema, Name),
    };

    public string Display => Kind == "schema" ? Name : Schema + "." + Name;

    /// <summary>The statement that drops it; a table or view drops what depends on it (a rollback restores what it must).</summary>
    public string DropStatement => Kind switch
    {
        "table" => $"DROP TABLE IF EXISTS {Sql} CASCADE",
        "view" => $"DROP VIEW IF EXISTS {Sql} CASCADE",
        "matview" => $"DROP MATERIALIZED VIEW IF EXISTS {Sql} CASCADE",
        "sequence" => $"DROP SEQUENCE IF EXISTS {Sql} CASCADE",
        "type" => $"DROP TYPE IF EXISTS {Sql} CASCADE",
        "function" => $"DROP ROUTINE IF EXISTS {Sql} CASCADE",
        _ => $"DROP SCHEMA IF EXISTS {Sql}",
    };

    /// <summary>Drop order: what depends comes first (views before tables, tables before types and schemas).</summary>
    public int Order => Kind switch { "view" or "matview" => 0, "function" => 1, "table" => 2, "sequence" => 3, "type" => 4, _ => 5 };

    static string QuoteFunction(string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? Identifiers.Quote(signature) : Identifiers.Quote(signature[..open]) + signature[open..];
    }
}
