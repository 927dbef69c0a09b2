using System.Text;

namespace Ferry.Schema;

/// <summary>PostgreSQL identifiers: quoting, and the 63-byte limit.</summary>
internal static class Identifiers
{
    /// <summary>NAMEDATALEN - 1: PostgreSQL silently truncates longer identifiers.</summary>
    public const int MaxBytes = 63;

    /// <summary>
    /// Quotes an identifier when PostgreSQL would otherwise fold or refuse it: anything but lower-case
    /// letters, digits, _ and $ (not first), and every keyword (reserved or not: quoting one is harmless).
    /// </summary>
    public static string Quote(string identifier) =>
        IsPlain(identifier) ? identifier : QuoteAlways(identifier);

    /// <summary>Always in double quotes (the SQL standard's quoting, which SQLite and DuckDB share).</summary>
    public static string QuoteAlways(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary><c>schema.name</c>, each part quoted as needed.</summary>
    public static string Qualify(string schema, string name) => Quote(schema) + "." + Quote(name);

    /// <summary>
    /// A PostgreSQL string literal that means <paramref name="value"/> whatever the session's
    /// <c>standard_conforming_strings</c>: with a backslash in it, an escape string (<c>E'a\\b'</c>: backslashes doubled),
    /// which reads the same under both settings; otherwise a plain <c>'…'</c>, which does too and keeps DDL readable.
    /// </summary>
    public static string Literal(string value)
    {
        var quoted = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\', StringComparison.Ordinal)
            ? "E'" + quoted.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + quoted + "'";
    }

    /// <summary>A PostgreSQL <c>bytea</c> constant of hex digits, in hex format (<c>E'\\xdead'::bytea</c>).</summary>
    public static string ByteaLiteral(string hexDigits) => Literal("\\x" + hexDigits.ToLowerInvariant()) + "::bytea";

    /// <summary>
    /// A string literal of SQLite's and DuckDB's SQL, the SQL standard's: quotes doubled, and a backslash is an
    /// ordinary character there. Never for PostgreSQL (<see cref="Literal"/>).
    /// </summary>
    public static string StandardLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static bool IsPlain(string identifier)
    {
        if (identifier.Length == 0 || Keywords.Contains(identifier))
            return false;
        if (!(identifier[0] is >= 'a' and <= 'z' or '_'))
            return false;
        foreach (var c in identifier)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '$'))
                return false;
        }

        return true;
    }

    /// <summary>Whether PostgreSQL would truncate the identifier.</summary>
    public static bool IsTooLong(string identifier) => Encoding.UTF8.GetByteCount(identifier) > MaxBytes;

    /// <summary>What PostgreSQL keeps of an identifier: its first 63 bytes, not splitting a character.</summary>
    public static string Truncate(string identifier)
    {
        if (!IsTooLong(identifier))
            return identifier;
        var bytes = 0;
        var end = 0;
        foreach (var rune in identifier.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return identifier[..end];
    }

    /// <summary>PostgreSQL's keywords (reserved, column-name, type/function-name, and common unreserved ones).</summary>
    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between", "bigint",
        "binary", "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce", "collate", "collation",
        "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
        "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable",
        "desc", "distinct", "do", "double", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
        "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in", "initially",
        "inner", "inout", "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "json", "lateral",
        "leading", "least", "left", "like", "limit", "localtime", "localtimestamp", "national", "natural", "nchar", "none",
        "normalize", "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer",
        "overlaps", "overlay", "placing", "position", "precision", "primary", "real", "references", "returning", "right",
        "row", "select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric", "system_user",
        "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
        "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes",
        "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
        "xmlserialize", "xmltable", "key", "level", "name", "type", "value", "zone", "year", "month", "day", "hour",
        "minute", "second", "text", "date", "data", "action", "language", "function", "index", "view", "schema",
    };
}
