using System.Text.RegularExpressions;

namespace Ferry.Connections;

/// <summary>Keeps passwords out of everything Ferry prints, logs or reports.</summary>
public static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>Masks the password of a <c>postgres://</c> URL (or any <c>scheme://user:password@</c>).</summary>
    public static string RedactUrl(string url) => UrlPassword().Replace(url, m => m.Groups[1].Value + Mask + "@");

    /// <summary>Masks <c>Password=…</c> in an Npgsql / ADO.NET connection string.</summary>
    public static string RedactConnectionString(string connectionString) =>
        ConnectionStringPassword().Replace(connectionString, m => m.Groups[1].Value + Mask);

    /// <summary>Masks URLs, connection strings and the given secret wherever they occur in a message.</summary>
    public static string RedactText(string text, string? secret = null)
    {
        var result = RedactConnectionString(RedactUrl(text));
        if (!string.IsNullOrEmpty(secret))
            result = result.Replace(secret, Mask, StringComparison.Ordinal);
        return result;
    }

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^\s/?#]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"((?:^|;)\s*(?:Password|Pwd)\s*=\s*)(""[^""]*""|'[^']*'|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();
}
