namespace Ferry.Sources.Sqlite;

/// <summary>
/// Decodes bytes as Windows-1252, the usual origin of non-UTF-8 text in SQLite files. Every byte maps to one
/// character (the five bytes 1252 leaves undefined map to the C1 controls of the same value, as browsers do),
/// so the original bytes can always be recovered: nothing is lost.
/// </summary>
internal static class Windows1252
{
    static readonly char[] High =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    /// <summary>The UTF-8 length of <see cref="Decode"/>'s text, without making it.</summary>
    public static long Utf8Length(ReadOnlySpan<byte> bytes)
    {
        long length = 0;
        foreach (var x in bytes)
            length += x < 0x80 ? 1 : x > 0x9F || High[x - 0x80] < '\u0800' ? 2 : 3;
        return length;
    }

    public static string Decode(ReadOnlySpan<byte> bytes) =>
        string.Create(bytes.Length, bytes, static (chars, b) =>
        {
            for (var i = 0; i < b.Length; i++)
            {
                var x = b[i];
                chars[i] = x is >= 0x80 and <= 0x9F ? High[x - 0x80] : (char)x;
            }
        });
}
