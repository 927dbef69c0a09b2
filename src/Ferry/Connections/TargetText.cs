using System.Text.RegularExpressions;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// A target written as text, in any of its forms: a <c>postgres://</c> URL, a libpq keyword string
/// (<c>host=… dbname=…</c>) or an Npgsql connection string (<c>Host=…;Database=…</c>). Text in none of them is
/// refused with what it resembles and how to write it, never shown: it may hold a password.
/// </summary>
internal static partial class TargetText
{
    internal readonly record struct Parsed(NpgsqlConnectionStringBuilder Settings, bool PasswordGiven);

    /// <summary>
    /// The settings the text gives; what a URL or keyword string leaves out comes from <paramref name="libpqDefaults"/>
    /// (as libpq fills it from the environment). Errors start with <paramref name="label"/>.
    /// </summary>
    public static Parsed Parse(string text, string label, Func<NpgsqlConnectionStringBuilder> libpqDefaults)
    {
        NpgsqlConnectionStringBuilder settings;
        bool passwordGiven;
        if (PostgresUrl.IsUrl(text))
            settings = PostgresUrl.Parse(text, libpqDefaults(), label, out passwordGiven);
        else if (LibpqKeywordString.Looks(text))
            settings = LibpqKeywordString.Parse(text, libpqDefaults(), label, out passwordGiven);
        else if (NpgsqlConnectionText.Looks(text))
            settings = NpgsqlConnectionText.Parse(text, label, out passwordGiven);
        else
            throw Refusal(text, label);

        // Host, database and user are shown (in errors, as the target's URL): none may have swallowed a password setting.
        foreach (var (part, value) in new[] { ("host", settings.Host), ("database name", settings.Database), ("user name", settings.Username) })
        {
            if (value is not null && Redaction.MayHoldPassword(value))
                throw new TargetTextError(label, "text").Problem(
                    $"its {part} holds what looks like a password setting or a URL with a password: separate an Npgsql connection string's settings with ';' and a keyword string's with spaces, and give a URL as the whole target.");
        }

        return new Parsed(settings, passwordGiven);
    }

    /// <summary>Why text in none of the forms is refused, told from what it resembles.</summary>
    static FerryException Refusal(string text, string label)
    {
        var error = new TargetTextError(label, "URL");
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (Scheme().Match(text) is { Success: true } scheme && (equals < 0 || scheme.Length < equals))
        {
            var name = scheme.Groups[1].Value;
            if (name.Equals("postgres", StringComparison.OrdinalIgnoreCase) || name.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
                return error.Structure($"a PostgreSQL URL starts with {name.ToLowerInvariant()}:// (two slashes)");
            if (text.AsSpan(scheme.Length).StartsWith("//"))
                return error.Problem($"'{name}://' is not a PostgreSQL URL: write postgres:// or postgresql://.");
            if (at > scheme.Length)
                return error.Structure("it looks like a URL without its scheme: start it with postgres://");
        }
        else if (at >= 0 && (equals < 0 || at < equals))
        {
            return error.Structure("it looks like a URL without its scheme: start it with postgres://");
        }

        // Parsed in the form it starts in, the text says what is wrong in that form's terms.
        if (LibpqKeywordString.StartsLikeOne(text))
            LibpqKeywordString.Parse(text, new NpgsqlConnectionStringBuilder(), label, out _);
        else if (equals > 0)
            NpgsqlConnectionText.Parse(text, label, out _);
        return equals > 0
            ? error.Problem("it separates settings with spaces: an Npgsql connection string separates them with ';' (Host=…;Database=…), a libpq keyword string is written in lowercase (host=… dbname=…).")
            : error.Problem("it is not a postgres:// URL, a libpq keyword string (host=… dbname=…) or an Npgsql connection string (Host=…;Database=…).");
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();
}
