using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// libpq's keyword/value connection strings, <c>host=db port=5432 dbname=shop user=app password='a b'</c>, read as
/// libpq reads them: pairs separated by whitespace, spaces allowed around '=', a value single-quoted to hold spaces,
/// and a backslash taking the next character as it is (quoted or not).
/// </summary>
internal static class LibpqKeywordString
{
    internal readonly record struct Pair(string Key, string Value, bool Quoted);

    /// <summary>Where splitting stopped: a word with no '=' after it, or a quoted value with no closing quote.</summary>
    internal enum Failure { None, MissingEquals, UnclosedQuote }

    /// <summary>
    /// Written as a keyword string: it splits into pairs, every keyword is libpq's (exactly: libpq's keywords are
    /// lowercase), and no unquoted value runs on with ';' (that is an Npgsql connection string, <c>host=h;port=5</c>).
    /// </summary>
    public static bool Looks(string text)
    {
        var pairs = Split(text, out var failure, out _);
        return failure == Failure.None && pairs.Count > 0 && pairs.All(p => LibpqParameters.IsKeyword(p.Key) && (p.Quoted || !RunsOn(p.Value)));
    }

    static bool RunsOn(string value) => value.IndexOf(';', StringComparison.Ordinal) is var semicolon and >= 0 &&
        (semicolon == value.Length - 1 || value.IndexOf('=', semicolon) >= 0);

    /// <summary>Whether the text starts as a keyword string does (a lowercase word and '='), so its errors are told in those terms.</summary>
    public static bool StartsLikeOne(string text)
    {
        var i = 0;
        while (i < text.Length && (char.IsAsciiLetterLower(text[i]) || text[i] == '_'))
            i++;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
            i++;
        return i > 0 && i < text.Length && text[i] == '=' && !text.Contains(';', StringComparison.Ordinal);
    }

    /// <summary>Applies the pairs to <paramref name="builder"/>; errors start with <paramref name="label"/> and name keywords, never values.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string text, NpgsqlConnectionStringBuilder builder, string label, out bool passwordGiven)
    {
        var error = new TargetTextError(label, "keyword string");
        var pairs = Split(text, out var failure, out var at);
        error.AfterSecret = pairs.Any(p => LibpqParameters.IsSecret(p.Key) || Redaction.MayHoldPassword(p.Value));
        switch (failure)
        {
            case Failure.MissingEquals when error.Showable(at) && !LibpqParameters.IsKeyword(at):
                throw error.Problem($"the keyword string has '{at}' without '=' after it; write keyword=value pairs separated by spaces.");
            case Failure.MissingEquals:
                throw error.Structure($"the keyword string has a word without '=' after it{(error.AfterSecret ? ", after the password" : "")}");
            case Failure.UnclosedQuote:
                throw error.Structure(LibpqParameters.IsKeyword(at)
                    ? $"the keyword string's {at} has a quote that is not closed"
                    : "the keyword string has a quote that is not closed");
        }

        var parameters = new LibpqParameters(builder, error);
        error.AfterSecret = false;
        foreach (var pair in pairs)
        {
            parameters.Set(pair.Key, pair.Value);
            error.AfterSecret |= LibpqParameters.IsSecret(pair.Key) || Redaction.MayHoldPassword(pair.Value);
        }

        parameters.Finish();
        passwordGiven = parameters.PasswordGiven;
        return builder;
    }

    /// <summary>
    /// Splits into pairs as libpq's conninfo_parse does; on a failure, <paramref name="at"/> is the word without '='
    /// or the keyword whose quote is not closed.
    /// </summary>
    internal static List<Pair> Split(string text, out Failure failure, out string at)
    {
        var pairs = new List<Pair>();
        var value = new System.Text.StringBuilder();
        failure = Failure.None;
        at = "";
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i == text.Length)
                return pairs;

            var start = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
                i++;
            var key = text[start..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i == text.Length || text[i] != '=')
            {
                (failure, at) = (Failure.MissingEquals, key);
                return pairs;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            value.Clear();
            var quoted = i < text.Length && text[i] == '\'';
            if (quoted)
            {
                i++;
                while (true)
                {
                    if (i == text.Length)
                    {
                        (failure, at) = (Failure.UnclosedQuote, key);
                        return pairs;
                    }

                    if (text[i] == '\\' && i + 1 < text.Length)
                        i++;
                    else if (text[i] == '\'')
                        break;
                    value.Append(text[i++]);
                }

                i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    if (text[i] == '\\' && ++i == text.Length)
                        break;
                    value.Append(text[i++]);
                }
            }

            pairs.Add(new Pair(key, value.ToString(), quoted));
        }
    }
}
