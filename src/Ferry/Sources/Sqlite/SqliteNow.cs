using System.Text;

namespace Ferry.Sources.Sqlite;

/// <summary>The current time in PostgreSQL, in the forms SQLite's 'now' takes. SQLite's 'now' is UTC.</summary>
internal static class SqliteNow
{
    public enum Kind
    {
        Timestamp,
        TimestampMilliseconds,
        Date,
        Time,
        Epoch,
        JulianDay,
    }

    /// <summary>What a date function of 'now' yields, or null for a strftime format that is none of these.</summary>
    public static Kind? KindOf(string function, string? format) => function switch
    {
        "datetime" => Kind.Timestamp,
        "date" => Kind.Date,
        "time" => Kind.Time,
        "julianday" => Kind.JulianDay,
        "unixepoch" => Kind.Epoch,
        _ => format switch
        {
            "%s" => Kind.Epoch,
            "%J" => Kind.JulianDay,
            "%Y-%m-%d %H:%M:%S" or "%Y-%m-%dT%H:%M:%S" or "%Y-%m-%dT%H:%M:%SZ" => Kind.Timestamp,
            "%Y-%m-%d %H:%M:%f" or "%Y-%m-%dT%H:%M:%f" or "%Y-%m-%dT%H:%M:%fZ" => Kind.TimestampMilliseconds,
            "%Y-%m-%d" => Kind.Date,
            "%H:%M:%S" or "%H:%M" => Kind.Time,
            _ => null,
        },
    };

    /// <summary>The PostgreSQL expression of the current time in its natural PostgreSQL type.</summary>
    public static string Sql(Kind kind, bool local) => kind switch
    {
        Kind.Timestamp or Kind.TimestampMilliseconds => local ? "LOCALTIMESTAMP" : "(now() AT TIME ZONE 'UTC')",
        Kind.Date => local ? "CURRENT_DATE" : "((now() AT TIME ZONE 'UTC')::date)",
        Kind.Time => local ? "LOCALTIME" : "((now() AT TIME ZONE 'UTC')::time)",
        Kind.Epoch => "(extract(epoch from now())::bigint)",
        Kind.JulianDay => "(extract(epoch from now()) / 86400.0 + 2440587.5)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The current time as SQLite's text of that kind would show it.</summary>
    public static string Text(Kind kind, bool local)
    {
        var now = Sql(Kind.Timestamp, local);
        return kind switch
        {
            Kind.Timestamp => $"to_char({now}, 'YYYY-MM-DD HH24:MI:SS')",
            Kind.TimestampMilliseconds => $"to_char({now}, 'YYYY-MM-DD HH24:MI:SS.MS')",
            Kind.Date => $"to_char({now}, 'YYYY-MM-DD')",
            Kind.Time => $"to_char({now}, 'HH24:MI:SS')",
            _ => $"({Sql(kind, local)})::text",
        };
    }

    static readonly System.Text.RegularExpressions.Regex ShiftPattern = new(
        @"^([+-]?\d+(?:\.\d+)?) (second|minute|hour|day|month|year)s?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A date function modifier ('-7 days', 'start of month') as PostgreSQL arithmetic on a timestamp, or null.</summary>
    public static string? Shift(string modifier)
    {
        var m = ShiftPattern.Match(modifier);
        if (m.Success)
            return $" + interval '{m.Groups[1].Value.TrimStart('+')} {m.Groups[2].Value}s'";
        return null;
    }

    /// <summary>A strftime format as a to_char pattern (literal text double-quoted), or null if it uses what to_char lacks.</summary>
    public static string? ToCharPattern(string format)
    {
        var sb = new StringBuilder();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length == 0)
                return;
            // Letters in a to_char pattern may be taken as fields: quote them; punctuation stands for itself.
            if (literal.ToString().Any(char.IsLetter))
                sb.Append('"').Append(literal.Replace("\"", "\\\"")).Append('"');
            else
                sb.Append(literal);
            literal.Clear();
        }

        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                literal.Append(format[i]);
                continue;
            }

            var spec = format[++i];
            if (spec == '%')
            {
                literal.Append('%');
                continue;
            }

            var pattern = spec switch
            {
                'Y' => "YYYY",
                'm' => "MM",
                'd' => "DD",
                'H' => "HH24",
                'M' => "MI",
                'S' => "SS",
                'f' => "SS.MS",
                'j' => "DDD",
                _ => null,
            };
            if (pattern is null)
                return null;
            Flush();
            sb.Append(pattern);
        }

        Flush();
        return sb.ToString();
    }
}
