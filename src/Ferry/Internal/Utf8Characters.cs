namespace Ferry.Internal;

/// <summary>
/// Characters (code points) of UTF-8 text as PostgreSQL's and SQLite's length() count them: every byte that
/// does not continue a multi-byte sequence.
/// </summary>
internal static class Utf8Characters
{
    public static int Count(ReadOnlySpan<byte> utf8)
    {
        var count = utf8.Length;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) == 0x80)
                count--;
        }

        return count;
    }
}
