using System.Globalization;
using System.Text;

namespace Ferry.Verify.Internal;

/// <summary>Keys as reported: integer columns as numbers, everything else as its canonical text.</summary>
internal static class KeyValues
{
    public static Dictionary<string, object?> ToDictionary(IReadOnlyList<TargetColumn> columns, IReadOnlyList<string?> values)
    {
        var key = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
            key[columns[i].Name] = Value(columns[i], values[i]);
        return key;
    }

    static object? Value(TargetColumn column, string? text) =>
        text is not null && column.IsInteger && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : text;

    /// <summary>Orders keys column by column: numerically for integer columns, else by ordinal text; NULL first.</summary>
    public static int Compare(IReadOnlyList<TargetColumn> columns, IReadOnlyList<string?> a, IReadOnlyList<string?> b)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x is null || y is null)
            {
                if (x is null != y is null)
                    return x is null ? -1 : 1;
                continue;
            }

            var c = columns[i].IsInteger && long.TryParse(x, CultureInfo.InvariantCulture, out var nx) && long.TryParse(y, CultureInfo.InvariantCulture, out var ny)
                ? nx.CompareTo(ny)
                : string.CompareOrdinal(x, y);
            if (c != 0)
                return c;
        }

        return 0;
    }

    /// <summary>A key's text as <see cref="RowHasher.KeyText"/> joins it: for keys read from the target.</summary>
    public static string Join(IEnumerable<string?> rawValues)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var value in rawValues)
        {
            if (!first)
                sb.Append('|');
            first = false;
            if (value is null)
                sb.Append("\\N");
            else
                foreach (var c in value)
                {
                    if (c is '\\' or '|')
                        sb.Append('\\');
                    sb.Append(c);
                }
        }

        return sb.ToString();
    }

    /// <summary>A piece of a row text as the value it is (its escaping backslashes dropped).</summary>
    public static string Unescape(ReadOnlySpan<char> piece)
    {
        var sb = new StringBuilder(piece.Length);
        for (var i = 0; i < piece.Length; i++)
        {
            if (piece[i] == '\\' && i + 1 < piece.Length)
                i++;
            sb.Append(piece[i]);
        }

        return sb.ToString();
    }
}
