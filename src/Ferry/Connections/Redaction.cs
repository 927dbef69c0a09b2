using System.Text.RegularExpressions;

namespace Ferry.Connections;

/// <summary>
/// Keeps passwords out of everything Ferry prints, logs or reports. Ferry's own messages never show a target's text
/// (they name the part that is wrong); this is the net under them, for text that comes from elsewhere.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>Masks the password of a <c>postgres://</c> URL (or any <c>scheme://user:password@</c>), and a <c>password=</c> in its query.</summary>
    public static string RedactUrl(string url) =>
        UrlQueryPassword().Replace(UrlPassword().Replace(url, m => m.Groups[1].Value + Mask + "@"), m => m.Groups[1].Value + Mask);

    /// <summary>Masks <c>Password=…</c> (and <c>Pwd</c>, <c>Psw</c>, <c>SSL Password</c>) in an Npgsql / ADO.NET connection string.</summary>
    public static string RedactConnectionString(string connectionString) =>
        ConnectionStringPassword().Replace(connectionString, m => m.Groups[1].Value + Mask);

    /// <summary>Masks <c>password=…</c> and <c>sslpassword=…</c> in a libpq keyword string, quoted or not.</summary>
    public static string RedactKeywordString(string keywordString) =>
        KeywordStringPassword().Replace(keywordString, m => m.Groups[1].Value + Mask);

    /// <summary>Masks URLs, connection strings, keyword strings and the given secret wherever they occur in a message.</summary>
    public static string RedactText(string text, string? secret = null)
    {
        var result = RedactKeywordString(RedactConnectionString(RedactUrl(text)));
        if (!string.IsNullOrEmpty(secret))
            result = result.Replace(secret, Mask, StringComparison.Ordinal);
        return result;
    }

    /// <summary>Text that may hold a password: a password setting (<c>password=</c>, <c>Pwd=</c>) or a URL with user info.</summary>
    public static bool MayHoldPassword(string text) => PasswordSetting().IsMatch(text) || UrlPassword().IsMatch(text);

    // The user info runs to the last '@' of the URL: a password may hold '/', '?' or '@' written raw.
    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*:/*[^:/@\s]*:)\S*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"([?&](?:ssl)?password=)[^&\s]*", RegexOptions.IgnoreCase)]
    private static partial Regex UrlQueryPassword();

    [GeneratedRegex(@"((?:^|;)\s*(?:(?:SSL\s*)?Password|Pwd|Psw)\s*=\s*)(""(?:[^""]|"""")*""|'(?:[^']|'')*'|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|(?:[^\s\\]|\\.)*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeywordStringPassword();

    [GeneratedRegex(@"(?:password|pwd|psw)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();
}
