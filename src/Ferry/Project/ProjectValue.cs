using System.Text;

namespace Ferry.Project;

/// <summary>
/// A value of the project file as written (<c>${PROD_DATABASE_URL}</c>), with where it is, and its resolution:
/// <c>${VAR}</c>, <c>${VAR:-default}</c> and <c>${file:/run/secrets/x}</c> (the file's content, trailing newline
/// removed); <c>$$</c> is a literal <c>$</c>. What it resolves to is never shown: messages name the reference.
/// </summary>
public sealed record ProjectValue(string Text, string File, int Line, string Key)
{
    /// <summary>Whether the value reads a variable or a file (<c>${…}</c>).</summary>
    public bool IsReference => Text.Contains("${", StringComparison.Ordinal);

    /// <summary>What its references read, for people: <c>STAGING_URL</c>, <c>file /run/secrets/db</c>.</summary>
    public IEnumerable<string> Reads =>
        System.Text.RegularExpressions.Regex.Matches(Text, @"\$\{([^}]*)\}").Select(m => m.Groups[1].Value)
            .Select(r => r.StartsWith("file:", StringComparison.Ordinal) ? "file " + r[5..] : r.Split(":-")[0]);

    /// <summary>Where it is, for messages: <c>ferry.yml, line 7 (environments.prod.database)</c>.</summary>
    public string Origin => $"{File}, line {Line} ({Key})";

    /// <summary>The value with its references read; a variable that is not set (and has no default) or a missing file is an error naming it and this line.</summary>
    public string Resolve(EnvironmentReader environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var result = new StringBuilder();
        for (var i = 0; i < Text.Length; i++)
        {
            if (Text[i] != '$' || i + 1 >= Text.Length)
            {
                result.Append(Text[i]);
                continue;
            }

            if (Text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            if (Text[i + 1] != '{')
            {
                result.Append('$');
                continue;
            }

            var end = Text.IndexOf('}', i + 2);
            if (end < 0)
                throw new FerryException($"{Origin}: '${{' has no closing '}}'. Write ${{VAR}}, ${{VAR:-default}} or ${{file:/path}} (and $$ for a '$').", FailureKind.Configuration);
            result.Append(Reference(Text[(i + 2)..end], environment));
            i = end;
        }

        return result.ToString();
    }

    string Reference(string reference, EnvironmentReader environment)
    {
        if (reference.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = reference[5..];
            if (!System.IO.File.Exists(path))
                throw new FerryException($"{Origin} reads the file {path}, which does not exist.", FailureKind.Configuration);
            return System.IO.File.ReadAllText(path).TrimEnd('\n', '\r');
        }

        var colon = reference.IndexOf(":-", StringComparison.Ordinal);
        var name = colon >= 0 ? reference[..colon] : reference;
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new FerryException($"{Origin}: '${{{reference}}}' is not a variable name (letters, digits and _), ${{VAR:-default}} or ${{file:/path}}.", FailureKind.Configuration);
        if (environment(name) is { Length: > 0 } value)
            return value;
        if (colon >= 0)
            return reference[(colon + 2)..];
        throw new FerryException($"{Origin} needs the environment variable {name}, which is not set. Set it (or give a default: ${{{name}:-…}}).", FailureKind.Configuration);
    }
}
