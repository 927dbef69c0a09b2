namespace Ferry.Sources.Sqlite;

/// <summary>SQLite's date and time functions in PostgreSQL: of 'now' or of a stored value, with the modifiers PostgreSQL can follow.</summary>
internal sealed class SqliteDateFunctions(SqliteSqlTranslator translator)
{
    /// <summary>date(), time(), datetime(), julianday(), unixepoch(), strftime(): of 'now' or of a value, with 'localtime'/'utc' only.</summary>
    public string Call(string function, List<List<SqlToken>> argTokens, List<string> args)
    {
        var first = function == "strftime" ? 1 : 0;
        if (argTokens.Count <= first)
        {
            if (function is "unixepoch" or "julianday" or "date" or "time" or "datetime" && argTokens.Count == 0)
                return SqliteNow.Sql(SqliteNow.KindOf(function, null) ?? SqliteNow.Kind.Timestamp, local: false);
            return translator.Fail($"{function}() needs arguments");
        }

        var local = false;
        var epoch = false;
        var steps = new List<Func<string, string>>(); // modifiers, applied in order as SQLite does
        for (var k = first + 1; k < argTokens.Count; k++)
        {
            var modifier = argTokens[k] is [{ Kind: SqlTokenKind.String } m] ? m.Text.Trim().ToLowerInvariant() : null;
            if (modifier == "localtime")
                local = true;
            else if (modifier == "unixepoch" && k == first + 1)
                epoch = true;
            else if (modifier is not null && SqliteNow.Shift(modifier) is { } shift)
                steps.Add(v => v + shift);
            else if (modifier is "start of day" or "start of month" or "start of year")
                steps.Add(v => $"date_trunc('{modifier[9..]}', {v})");
            else if (modifier is not ("utc" or "subsec" or "subsecond"))
                return translator.Fail($"{function}() with modifier {SqliteLexer.Join(argTokens[k])} has no PostgreSQL translation");
        }

        string? format = null;
        if (function == "strftime")
        {
            if (argTokens[0] is not [{ Kind: SqlTokenKind.String } f])
                return translator.Fail("strftime() with a computed format");
            format = f.Text;
        }

        var isNow = argTokens[first] is [{ Kind: SqlTokenKind.String } v] && v.Text.Equals("now", StringComparison.OrdinalIgnoreCase);
        if (isNow && steps.Count == 0)
        {
            var kind = SqliteNow.KindOf(function, format);
            if (kind is { } k)
                return SqliteNow.Sql(k, local);
            var pattern = SqliteNow.ToCharPattern(format!);
            return pattern is null ? translator.Fail($"strftime format '{format}' has no to_char equivalent") : $"to_char({SqliteNow.Sql(SqliteNow.Kind.Timestamp, local)}, {Schema.Identifiers.Literal(pattern)})";
        }

        if (local && !isNow)
            return translator.Fail($"{function}(…, 'localtime') of a stored value depends on the machine's time zone");
        var value = isNow ? SqliteNow.Sql(SqliteNow.Kind.Timestamp, local) : args[first];
        if (epoch)
            value = $"(to_timestamp({value}) AT TIME ZONE 'UTC')"; // 'unixepoch': the value is seconds since 1970, UTC
        if (steps.Count > 0)
            value = steps.Aggregate($"({value})::timestamp", (current, step) => step(current));
        switch (function)
        {
            case "date":
                return $"({value})::date";
            case "time":
                return $"({value})::time";
            case "datetime":
                return $"({value})::timestamp";
            case "julianday":
                return $"(extract(epoch from ({value})::timestamp) / 86400.0 + 2440587.5)";
            case "unixepoch":
                return $"extract(epoch from ({value})::timestamp)::bigint";
            default:
                if (format == "%s")
                    return $"extract(epoch from ({value})::timestamp)::bigint";
                var pattern = SqliteNow.ToCharPattern(format!);
                return pattern is null ? translator.Fail($"strftime format '{format}' has no to_char equivalent") : $"to_char(({value})::timestamp, {Schema.Identifiers.Literal(pattern)})";
        }
    }
}
