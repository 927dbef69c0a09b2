namespace Ferry.Check.Spec;

/// <summary>What a <c>match:</c> expectation checks a column's values against.</summary>
public enum MatchFormat
{
    /// <summary>A regular expression in PostgreSQL's syntax (its <c>~</c> operator).</summary>
    Regex,

    /// <summary>An e-mail address by the WHATWG HTML rule (as <c>validate: email</c>).</summary>
    Email,

    /// <summary>A phone number valid in its region by libphonenumber (as <c>validate: phone</c>); checked in Ferry, not in SQL.</summary>
    Phone,

    /// <summary>An IPv4 or IPv6 host address (no prefix).</summary>
    Ip,

    /// <summary>A UUID in its 8-4-4-4-12 hex form.</summary>
    Uuid,
}
