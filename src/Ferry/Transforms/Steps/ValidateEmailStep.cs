namespace Ferry.Transforms.Steps;

/// <summary>
/// <c>validate: email</c>: the WHATWG HTML Standard's "valid e-mail address", what a browser's
/// <c>&lt;input type=email&gt;</c> accepts (https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address):
/// <code>
/// email         = 1*( atext / "." ) "@" label *( "." label )
/// label         = let-dig [ [ ldh-str ] let-dig ]  ; at most 63 characters (RFC 1034 section 3.5)
/// atext         = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&amp;" / "'" / "*" / "+" / "-" / "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"
/// let-dig       = ALPHA / DIGIT
/// ldh-str       = *( ALPHA / DIGIT / "-" ) let-dig
/// </code>
/// which the spec gives as the regular expression
/// <c>^[a-zA-Z0-9.!#$%&amp;'*+\/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$</c>.
/// A "willful violation" of RFC 5322, as the spec says: ASCII only (no quoted local parts, comments or IDN
/// U-labels), dots anywhere in the local part, and a domain of one label allowed. Scanned by hand, once over the value.
/// </summary>
public sealed class ValidateEmailStep(ValuePolicy invalid = ValuePolicy.Reject) : ValidationStep("email", invalid, "not a valid e-mail address (WHATWG HTML)")
{
    const int MaxLabel = 63;

    /// <summary>The same rule as a regular expression (the spec's, in syntax both .NET and PostgreSQL read), for checks run in SQL.</summary>
    public const string Pattern = "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:[.][a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$";

    private protected override bool Validate(ref string value) => IsValid(value);

    /// <summary>Whether <paramref name="text"/> is a valid e-mail address by the WHATWG rule.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        var at = 0;
        while (at < text.Length && IsLocal(text[at]))
            at++;
        if (at == 0 || at == text.Length || text[at] != '@')
            return false;

        var label = 0;
        for (var i = at + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (label == 0 || text[i - 1] == '-')
                    return false;
                label = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || (c == '-' && label > 0))
            {
                if (++label > MaxLabel)
                    return false;
            }
            else
            {
                return false;
            }
        }

        return label > 0 && text[^1] != '-';
    }

    static readonly System.Buffers.SearchValues<char> Local =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-");

    static bool IsLocal(char c) => Local.Contains(c);
}
