namespace Ferry.Connections;

/// <summary>
/// The errors of a target's text (a URL, a keyword string, a connection string): each says where the text came from
/// (<c>--to</c>, <c>DATABASE_URL</c>, the source) and which part is wrong, never what the text holds, since any part
/// of it may be a password.
/// </summary>
internal sealed class TargetTextError(string label, string form)
{
    /// <summary>"URL", "keyword string" or "connection string", as the messages name it.</summary>
    public string Form => form;

    /// <summary>A password-like parameter came before: a later name may be the tail of a password that ran on.</summary>
    public bool AfterSecret { get; set; }

    /// <summary>How a password with the form's separators is written.</summary>
    public string PasswordHint => form switch
    {
        "URL" => "a password holding '/', '?', '#', '@', '&' or '%' must be percent-encoded (%2F, %3F, %23, %40, %26, %25)",
        "keyword string" => "a password holding spaces or quotes must be in single quotes, with \\' and \\\\ inside",
        _ => "a password holding ';' or quotes must be in double or single quotes, with that quote doubled inside",
    };

    public FerryException Problem(string problem) => new($"{label}: {problem}");

    /// <summary>A value the parameter cannot take; the value itself is not shown.</summary>
    public FerryException Value(string parameter, string what) => Problem($"the {form}'s {parameter} {what}.");

    /// <summary>A structural problem that a password with the form's separators causes too: the hint says how to write one.</summary>
    public FerryException Structure(string problem) => Problem($"{problem} ({PasswordHint}).");

    /// <summary>A name Ferry does not know: shown when it looks like a name and no password came before it.</summary>
    public FerryException UnknownName(string name, string list) => Showable(name)
        ? Problem($"unknown parameter '{name}' in the {form}. {list}")
        : Structure($"the {form} has a parameter Ferry does not know{(AfterSecret ? " after the password" : "")}");

    /// <summary>A name that is safe to show: a plain word, and nothing that could be a password's tail came before it.</summary>
    public bool Showable(string name) => !AfterSecret && name.Length is > 0 and <= 40 &&
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ' ');
}
