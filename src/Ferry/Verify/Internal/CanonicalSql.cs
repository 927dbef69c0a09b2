using System.Globalization;
using System.Text;
using Ferry.Types;

namespace Ferry.Verify.Internal;

/// <summary>A target column as the catalog describes it: its type name (of the element, for arrays) decides its canonical expression.</summary>
internal sealed record TargetColumn(string Name, string TypeName, char TypeType, string? ElementTypeName, string FormattedType, bool HasTrimScale = false)
{
    /// <summary>
    /// Only whether the value is NULL enters the row's hash: the column's values came through a step that is not
    /// repeatable (a salted hash), checked apart (<see cref="UnrepeatableCheck"/>).
    /// </summary>
    public bool PresenceOnly { get; init; }

    public bool IsArray => ElementTypeName is not null;

    public bool IsInteger => !IsArray && TypeName is "int2" or "int4" or "int8";
}

/// <summary>
/// The target side of the canonical text, in SQL: one expression per column chosen by its catalog type, the
/// row text and the hashes, exactly as <see cref="RowHasher"/> computes them in C#. Needs the session
/// settings of <see cref="SessionSettings"/>.
/// </summary>
internal static class CanonicalSql
{
    /// <summary>
    /// Makes <c>::text</c> print what <see cref="Ferry.Types.CanonicalText"/> prints, and the same on any two servers
    /// (money by the C locale: its stored amount, whatever the database's lc_monetary).
    /// </summary>
    public const string SessionSettings =
        "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET TimeZone = 'UTC'; SET extra_float_digits = 1; " +
        "SET bytea_output = 'hex'; SET standard_conforming_strings = on; SET lc_monetary = 'C'";

    public static string Quote(string identifier) => Ferry.Schema.Identifiers.QuoteAlways(identifier);

    /// <summary>The canonical text of a column's value, unescaped; NULL for NULL.</summary>
    public static string Raw(TargetColumn column)
    {
        var c = Quote(column.Name);
        if (column.ElementTypeName is { } element)
        {
            // Elements whose canonical text differs from their own output go one by one; the rest print as they are.
            return PgTypes.ForCatalogName(element)?.ElementNeedsCanonicalSql(element) == true
                ? $"CASE WHEN {c} IS NULL THEN NULL ELSE array(SELECT {Scalar("u.e", element, column.HasTrimScale)} FROM unnest({c}) WITH ORDINALITY AS u(e, n) ORDER BY u.n)::text END"
                : $"{c}::text";
        }

        return Scalar(c, column.TypeName, column.HasTrimScale);
    }

    static string Scalar(string x, string typeName, bool hasTrimScale) =>
        PgTypes.ForCatalogName(typeName) is { } handler ? handler.CanonicalSql(x, typeName, hasTrimScale) : $"{x}::text";

    /// <summary>
    /// A value whose canonical text is longer than this (in UTF-8 bytes) is hashed apart: its piece of the row text is
    /// <c>\H</c> and its own hash, so neither side holds, escapes or joins a long value into a row text.
    /// </summary>
    public const int LongValueBytes = 1024;

    /// <summary>Whether the column's long values are hashed apart (the types whose values can be long: text, varchar, char, json, bytea).</summary>
    public static bool HashesLongValuesApart(TargetColumn column) =>
        !column.IsArray && PgTypes.ForCatalogName(column.TypeName)?.HashesLongValuesApart(column.TypeName) == true;

    /// <summary>
    /// The column's piece of the row text: escaped canonical text, or <c>\N</c>; with <paramref name="hashLongValuesApart"/>,
    /// <c>\H</c> and the hash of the canonical text for a long value (see <see cref="LongValueBytes"/>).
    /// </summary>
    public static string Piece(TargetColumn column, bool utf8Database = true, bool hashLongValuesApart = true)
    {
        if (column.PresenceOnly)
            return $"CASE WHEN {Quote(column.Name)} IS NULL THEN '\\N' ELSE '' END";
        var raw = Raw(column);
        var escaped = !column.IsArray && PgTypes.IsPlain(column.TypeName)
            ? raw
            : $"replace(replace({raw}, '\\', '\\\\'), '|', '\\|')";
        if (hashLongValuesApart && HashesLongValuesApart(column))
            escaped = $"CASE WHEN {IsLong(column, raw, utf8Database)} THEN '\\H' || {Hash(raw, utf8Database)}::text ELSE {escaped} END";
        return $"coalesce({escaped}, '\\N')";
    }

    /// <summary>
    /// Whether the canonical text <paramref name="raw"/> is longer than <see cref="LongValueBytes"/> in UTF-8. The stored
    /// length is tested first, which needs no detoasting: it bounds the canonical text's (char(n) drops padding; out of
    /// another server encoding a byte becomes at most three of UTF-8).
    /// </summary>
    static string IsLong(TargetColumn column, string raw, bool utf8Database)
    {
        if (column.TypeName == "bytea")
            return $"octet_length({Quote(column.Name)}) > {LongValueBytes / 2}"; // Two hex digits a byte.
        var stored = column.TypeName == "bpchar" ? $"octet_length({Quote(column.Name)})" : $"octet_length({raw})";
        if (!utf8Database)
            return $"{stored} > {LongValueBytes / 3} AND octet_length(convert_to({raw}, 'UTF8')) > {LongValueBytes}";
        return column.TypeName == "bpchar" ? $"{stored} > {LongValueBytes} AND octet_length({raw}) > {LongValueBytes}" : $"{stored} > {LongValueBytes}";
    }

    /// <summary>The row text of these columns, in order (see <see cref="Piece"/>).</summary>
    public static string Text(IEnumerable<TargetColumn> columns, bool utf8Database = true, bool hashLongValuesApart = true)
    {
        var sb = new StringBuilder();
        foreach (var column in columns)
        {
            if (sb.Length > 0)
                sb.Append(" || '|' || ");
            sb.Append(Piece(column, utf8Database, hashLongValuesApart));
        }

        return sb.Length == 0 ? "''" : sb.ToString();
    }

    /// <summary>
    /// The 64-bit hash of a text expression (<see cref="Lookup3"/>): of its bytes in a UTF-8 database, else of the
    /// hex of its UTF-8. <c>COLLATE "C"</c>: a nondeterministic collation would hash by sort key, not bytes.
    /// </summary>
    public static string Hash(string textExpression, bool utf8Database) =>
        utf8Database
            ? $"hashtextextended(({textExpression}) COLLATE \"C\", 0)"
            : $"hashtextextended(encode(convert_to({textExpression}, 'UTF8'), 'hex') COLLATE \"C\", 0)";

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);
}
