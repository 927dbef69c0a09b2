using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// The profile's tests of single values: which values a column's declared type does not expect, in SQL for the
/// scan's filter (<see cref="Unexpected"/>) and in C# for the quick pass and the readers of a copy that skipped the
/// profile (<see cref="MaybeUnexpected"/>); and which texts carry a zone, both ways (<see cref="ZonedSql"/>, <see cref="Zoned"/>).
/// </summary>
internal static class SqliteValueChecks
{
    /// <summary>Rows whose text values are checked for a zone ('Z', '+02:00'): a sample, the check is costly.</summary>
    internal const int ZoneSampleRows = 100_000;

    /// <summary>
    /// The values a column's declared type expects need no counting, only the others do: the scan filters
    /// rows on "some column holds something unexpected" (cheap, evaluated in the WHERE clause) and runs
    /// the costly aggregates on those rows alone. Columns decided by the data expect nothing.
    /// </summary>
    internal static string? Unexpected(SqliteDataProfile.Column column)
    {
        var c = SqliteNative.Quote(column.Name);
        if (column.Policy != DataPolicy.Declared)
            return $"{c} IS NOT NULL";
        return column.Type.Kind switch
        {
            PgTypeKind.BigInt => $"typeof({c}) NOT IN ('integer', 'null')",
            PgTypeKind.Integer => $"(typeof({c}) NOT IN ('integer', 'null') OR {c} NOT BETWEEN {int.MinValue} AND {int.MaxValue})",
            PgTypeKind.SmallInt => $"(typeof({c}) NOT IN ('integer', 'null') OR {c} NOT BETWEEN {short.MinValue} AND {short.MaxValue})",
            PgTypeKind.Numeric or PgTypeKind.DoublePrecision or PgTypeKind.Real => $"typeof({c}) IN ('text', 'blob')",
            PgTypeKind.Boolean => $"{c} NOT IN (0, 1)",
            PgTypeKind.Date => $"(typeof({c}) NOT IN ('text', 'null') OR length({c}) > 10)",
            PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time => $"typeof({c}) NOT IN ('text', 'null')",
            PgTypeKind.Varchar or PgTypeKind.Char when column.Type.Length is { } n => $"(typeof({c}) = 'blob' OR length({c}) > {n})",
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Json or PgTypeKind.Jsonb => $"typeof({c}) = 'blob'",
            PgTypeKind.Uuid => $"typeof({c}) IN ('integer', 'real')",
            _ => null, // bytea takes every storage class as bytes
        };
    }

    /// <summary>The columns the quick pass tests (see <see cref="MaybeUnexpected"/>), by index.</summary>
    public static int[] Watched(IReadOnlyList<SqliteDataProfile.Column> columns) =>
        Enumerable.Range(0, columns.Count).Where(i => columns[i].Scan && Unexpected(columns[i]) is not null).ToArray();

    /// <summary>
    /// The quick pass's test of one value (column <paramref name="ordinal"/> of the current row): true wherever
    /// <see cref="Unexpected"/>'s SQL is true, and sometimes where it is not (a REAL 1.0 in a boolean column, an
    /// integer in a varchar(5) column), never the other way round.
    /// </summary>
    internal static bool MaybeUnexpected(SqliteDataProfile.Column column, nint statement, int ordinal)
    {
        var value = SqliteColumnAccess.Value(statement, ordinal);
        return MaybeUnexpectedValue(column, value, SqliteColumnAccess.Type(value));
    }

    /// <summary><see cref="MaybeUnexpected"/> of a value already fetched (<see cref="SqliteColumnAccess.Value"/>), with its storage class.</summary>
    internal static bool MaybeUnexpectedValue(SqliteDataProfile.Column column, nint value, int storage)
    {
        if (storage == SqliteColumnAccess.Null)
            return false;
        if (column.Policy != DataPolicy.Declared)
            return true;
        return column.Type.Kind switch
        {
            PgTypeKind.BigInt => storage != SqliteColumnAccess.Integer,
            PgTypeKind.Integer => storage != SqliteColumnAccess.Integer || SqliteColumnAccess.Int64(value) is < int.MinValue or > int.MaxValue,
            PgTypeKind.SmallInt => storage != SqliteColumnAccess.Integer || SqliteColumnAccess.Int64(value) is < short.MinValue or > short.MaxValue,
            PgTypeKind.Numeric or PgTypeKind.DoublePrecision or PgTypeKind.Real => storage is SqliteColumnAccess.Text or SqliteColumnAccess.Blob,
            PgTypeKind.Boolean => storage != SqliteColumnAccess.Integer || SqliteColumnAccess.Int64(value) is not (0 or 1),
            PgTypeKind.Date => storage != SqliteColumnAccess.Text || Longer(SqliteColumnAccess.TextBytes(value), 10),
            PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time => storage != SqliteColumnAccess.Text,
            // A number's text is at most 24 characters long.
            PgTypeKind.Varchar or PgTypeKind.Char when column.Type.Length is { } n =>
                storage == SqliteColumnAccess.Blob || (storage == SqliteColumnAccess.Text ? Longer(SqliteColumnAccess.TextBytes(value), n) : n < 32),
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Json or PgTypeKind.Jsonb => storage == SqliteColumnAccess.Blob,
            PgTypeKind.Uuid => storage is SqliteColumnAccess.Integer or SqliteColumnAccess.Float,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a text has more than <paramref name="limit"/> characters as SQLite's length() counts them, or seems
    /// to (length() stops at a NUL); characters are counted only when the bytes could exceed it.
    /// </summary>
    static bool Longer(ReadOnlySpan<byte> text, int limit) => text.Length > limit && Ferry.Internal.Utf8Characters.Count(text) > limit;

    /// <summary>The columns whose zoned texts are counted: timestamps without a zone, as declared.</summary>
    internal static IEnumerable<int> ZoneSampled(IReadOnlyList<SqliteDataProfile.Column> columns) =>
        Enumerable.Range(0, columns.Count).Where(i => columns[i].Type.Kind == PgTypeKind.Timestamp && columns[i].Scan && columns[i].Policy == DataPolicy.Declared);

    /// <summary>Whether column <paramref name="ordinal"/> of the current row is a TEXT that <see cref="Zoned"/> matches.</summary>
    internal static bool ZonedText(nint statement, int ordinal)
    {
        var value = SqliteColumnAccess.Value(statement, ordinal);
        return SqliteColumnAccess.Type(value) == SqliteColumnAccess.Text && Zoned(SqliteColumnAccess.TextBytes(value));
    }

    /// <summary>
    /// The zone sample's test of one text (<see cref="ZonedSql"/>), in C#: after SQLite's trim() of spaces, it ends in 'z' or 'Z'
    /// (<c>LIKE '%z'</c>), in a digit then <c>±hh:mm</c> or a digit, a space and <c>±hh:mm</c>, or in <c>±hhmm</c>
    /// after a <c>:dd</c> (the GLOB patterns).
    /// </summary>
    internal static bool Zoned(ReadOnlySpan<byte> text)
    {
        var t = text.Trim((byte)' ');
        var n = t.Length;
        if (n == 0)
            return false;
        if (t[n - 1] is (byte)'z' or (byte)'Z')
            return true;
        static bool D(byte b) => b is >= (byte)'0' and <= (byte)'9';
        static bool S(byte b) => b is (byte)'+' or (byte)'-';
        if (n >= 6 && S(t[n - 6]) && D(t[n - 5]) && D(t[n - 4]) && t[n - 3] == ':' && D(t[n - 2]) && D(t[n - 1]))
        {
            if (n >= 7 && D(t[n - 7]))
                return true;
            if (n >= 8 && t[n - 7] == ' ' && D(t[n - 8]))
                return true;
        }

        if (n >= 8 && S(t[n - 5]) && D(t[n - 4]) && D(t[n - 3]) && D(t[n - 2]) && D(t[n - 1]))
        {
            var head = t[..(n - 5)];
            for (var i = 0; i + 2 < head.Length; i++)
            {
                if (head[i] == ':' && D(head[i + 1]) && D(head[i + 2]))
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether a value is a text with a zone, in SQLite's SQL (<see cref="Zoned"/> is the same test in C#).</summary>
    internal static string ZonedSql(string c) =>
        $"typeof({c}) = 'text' AND (trim({c}) LIKE '%z' OR trim({c}) GLOB '*[0-9][+-][0-9][0-9]:[0-9][0-9]' OR trim({c}) GLOB '*[0-9] [+-][0-9][0-9]:[0-9][0-9]' OR trim({c}) GLOB '*:[0-9][0-9]*[+-][0-9][0-9][0-9][0-9]')";
}
