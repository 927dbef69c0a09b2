using System.Globalization;
using System.Text;

namespace Ferry.Cli;

/// <summary>
/// Text for one line of a log: control characters (a table named "a\nb", an ESC that would steer the terminal) and line
/// separators written as escapes (\n, \t, \u001b), so one message stays one line. Names stay exact in --json and in reject files.
/// </summary>
internal static class LineText
{
    public static string Escape(string text)
    {
        var i = 0;
        while (i < text.Length && !Escaped(text[i]))
            i++;
        if (i == text.Length)
            return text;
        var sb = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!Escaped(c))
            {
                sb.Append(c);
                continue;
            }

            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }

        return sb.ToString();
    }

    static bool Escaped(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
