using System.Text.RegularExpressions;

namespace Ferry.Project;

/// <summary>Finds a password written in the project file itself, which a file in a repository must not hold.</summary>
internal static partial class ProjectSecrets
{
    /// <summary>Whether <paramref name="text"/> (a connection as written, before its references are read) holds a literal password.</summary>
    public static bool HoldsLiteralPassword(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var rest = text[(scheme + 3)..];
            var at = rest.LastIndexOf('@');
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (at > 0 && (slash < 0 || at < slash || rest[..at].Contains("${", StringComparison.Ordinal)))
            {
                var info = rest[..at];
                var colon = info.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0 && Literal(info[(colon + 1)..]))
                    return true;
            }
        }

        return PasswordSetting().Matches(text).Any(m => Literal(m.Groups[1].Value.Trim('\'', '"')));
    }

    /// <summary>A value that is there and is not one reference: <c>${PGPASSWORD}</c> is not literal, <c>hunter2</c> is.</summary>
    static bool Literal(string value) => value.Length > 0 && !ReferenceOnly().IsMatch(value);

    [GeneratedRegex(@"(?:^|[\s;?&])(?:ssl)?(?:password|pwd|psw)\s*=\s*('[^']*'|""[^""]*""|[^\s;&]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();

    [GeneratedRegex(@"^\$\{[^}]*\}$")]
    private static partial Regex ReferenceOnly();
}
