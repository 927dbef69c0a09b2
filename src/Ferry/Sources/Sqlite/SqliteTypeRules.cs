using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>How the stored values may revise what a declared type chose.</summary>
internal enum DataPolicy
{
    /// <summary>The declared type holds; odd values are counted and noted (they will be rejected).</summary>
    Declared,

    /// <summary>No usable declared type: the storage classes found decide (bigint, double precision, text, bytea).</summary>
    ByData,

    /// <summary>NUMERIC without precision: bigint when every value is an integer, else numeric.</summary>
    NumericOrBigint,
}

/// <summary>One mapping rule: a pattern on the declared type, the PostgreSQL type it gives, and why.</summary>
/// <param name="Name">How --dry-run shows the rule ("DECIMAL(p,s) → numeric(p,s)").</param>
/// <param name="Pattern">Matched against the declared type, lower-cased with spaces normalized.</param>
/// <param name="Map">The target type, from the match (for lengths and precisions).</param>
/// <param name="Policy">Whether and how the stored values may change the type.</param>
internal sealed record SqliteTypeRule(string Name, Regex Pattern, Func<Match, PgType> Map, DataPolicy Policy = DataPolicy.Declared);

/// <summary>
/// SQLite declared type → PostgreSQL type, as data: the first matching rule wins. Known names first, then
/// SQLite's own affinity rules (a name containing INT has INTEGER affinity; CHAR, CLOB or TEXT: TEXT; BLOB
/// or nothing: BLOB; REAL, FLOA or DOUB: REAL; anything else NUMERIC), where the data decides.
/// </summary>
internal static class SqliteTypeRules
{
    static Regex R(string pattern) => new($"^(?:{pattern})$", RegexOptions.CultureInvariant);

    static Regex Contains(string pattern) => new(pattern, RegexOptions.CultureInvariant);

    static int N(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    const string Size = @"(?:\(\s*\d+\s*(?:,\s*\d+\s*)?\))?";

    public static readonly IReadOnlyList<SqliteTypeRule> Rules =
    [
        new("no declared type → by the data (SQLite BLOB affinity)", R(""), _ => PgType.Text, DataPolicy.ByData),
        new("INTEGER/INT/BIGINT → bigint (SQLite integers are 64-bit)",
            R($@"(?:integer|int|bigint|int8|int64|long|big int|unsigned big int|(?:integer|int|bigint) unsigned){Size}"), _ => PgType.BigInt),
        new("MEDIUMINT → integer", R($@"mediumint{Size}(?: unsigned)?"), _ => PgType.Integer),
        new("SMALLINT UNSIGNED → integer (unsigned widens)", R($@"(?:smallint|int2|short|short int|short integer){Size} unsigned|unsigned (?:smallint|short)"), _ => PgType.Integer),
        new("SMALLINT → smallint", R($@"(?:smallint|int2|short|short int|short integer){Size}"), _ => PgType.SmallInt),
        new("TINYINT → smallint (PostgreSQL has no 1-byte integer)", R($@"tinyint{Size}(?: unsigned)?"), _ => PgType.SmallInt),
        new("DECIMAL(p,s) → numeric(p,s)", R(@"(?:decimal|numeric|number|dec)\((?<p>\d+),(?<s>\d+)\)"),
            m => N(m, "s") <= N(m, "p") && N(m, "p") is > 0 and <= 1000 ? PgType.NumericOf(N(m, "p"), N(m, "s")) : PgType.Numeric),
        new("DECIMAL(p) → numeric(p)", R(@"(?:decimal|numeric|number|dec)\((?<p>\d+)\)"),
            m => N(m, "p") is > 0 and <= 1000 ? new PgType(PgTypeKind.Numeric, precision: N(m, "p"), scale: 0) : PgType.Numeric),
        new("NUMERIC/DECIMAL → numeric (bigint when every stored value is an integer)", R("decimal|numeric|number|dec"), _ => PgType.Numeric, DataPolicy.NumericOrBigint),
        new("REAL/FLOAT/DOUBLE → double precision (SQLite REAL is 8 bytes; never real)",
            R($@"(?:real|float|double|double precision|float4|float8|float64){Size}"), _ => PgType.DoublePrecision),
        new("BOOLEAN → boolean", R(@"boolean|bool|bit|bit\(1\)"), _ => PgType.Boolean),
        new("DATE → date", R("date"), _ => PgType.Date),
        new("DATETIME/TIMESTAMP (no zone) → timestamp",
            R(@"(?:datetime|datetime2|smalldatetime|timestamp|timestamp without time zone)(?:\(\d+\))?"), _ => PgType.Timestamp),
        new("TIMESTAMPTZ → timestamptz",
            R(@"(?:timestamptz|timestamp with time zone|datetimeoffset|datetimetz|datetime with time zone)(?:\(\d+\))?"), _ => PgType.TimestampTz),
        new("TIME → time", R(@"(?:time|time without time zone)(?:\(\d+\))?"), _ => PgType.Time),
        new("VARCHAR(n) → varchar(n) (text when longer values are stored: SQLite does not enforce n)",
            R(@"(?:varchar|nvarchar|varchar2|nvarchar2|character varying|varying character|national varying character|national character varying|nchar varying|native character)\((?<n>\d+)\)"),
            m => N(m, "n") is > 0 and <= 10485760 ? PgType.VarcharOf(N(m, "n")) : PgType.Text),
        new("CHARACTER(n) → varchar(n) (SQLite does not pad values; char(n) would)",
            R(@"(?:char|character|nchar|national character)\((?<n>\d+)\)"),
            m => N(m, "n") is > 0 and <= 10485760 ? PgType.VarcharOf(N(m, "n")) : PgType.Text),
        new("TEXT/CLOB → text", R(@"text|clob|varchar|nvarchar|char|character|nchar|string|tinytext|mediumtext|longtext|ntext|citext"), _ => PgType.Text),
        new("BLOB → bytea", R($@"(?:blob|tinyblob|mediumblob|longblob|binary|varbinary|bytea|image){Size}"), _ => PgType.Bytea),
        new("JSON → jsonb", R("json|jsonb"), _ => PgType.Jsonb),
        new("UUID → uuid", R("uuid|guid|uniqueidentifier"), _ => PgType.Uuid),
        new("name contains INT (SQLite INTEGER affinity) → by the data", Contains("int"), _ => PgType.BigInt, DataPolicy.ByData),
        new("name contains CHAR/CLOB/TEXT (SQLite TEXT affinity) → text", Contains("char|clob|text"), _ => PgType.Text),
        new("name contains BLOB → bytea", Contains("blob"), _ => PgType.Bytea),
        new("name contains REAL/FLOA/DOUB (SQLite REAL affinity) → double precision", Contains("real|floa|doub"), _ => PgType.DoublePrecision),
        new("other names (SQLite NUMERIC affinity) → by the data", Contains(""), _ => PgType.Numeric, DataPolicy.ByData),
    ];

    /// <summary>The rule for a declared type, and the type it gives before the data is looked at.</summary>
    public static (SqliteTypeRule Rule, PgType Type) Match(string declaredType)
    {
        var normalized = Normalize(declaredType);
        foreach (var rule in Rules)
        {
            var m = rule.Pattern.Match(normalized);
            if (m.Success)
                return (rule, rule.Map(m));
        }

        throw new InvalidOperationException("The last rule matches every type.");
    }

    /// <summary>Lower case, single spaces, no spaces inside parentheses: "NUMERIC ( 10, 2 )" → "numeric(10,2)".</summary>
    internal static string Normalize(string declaredType)
    {
        var t = Regex.Replace(declaredType.Trim().ToLowerInvariant(), @"\s+", " ");
        t = Regex.Replace(t, @"\s*([(),])\s*", "$1");
        return Regex.Replace(t, @"\)(?=\w)", ") ");
    }
}
