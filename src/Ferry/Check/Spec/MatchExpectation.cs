namespace Ferry.Check.Spec;

/// <summary>
/// <c>match: { contact_email: email, code: '^[A-Z]{3}-\d+$', phone: { format: phone, region: US } }</c>: every value
/// that is not NULL has the format, or matches the regular expression (<see cref="Pattern"/>, PostgreSQL's syntax).
/// </summary>
public sealed record MatchExpectation(string Column, MatchFormat Format, string? Pattern = null, string? Region = null) : Expectation
{
    public override string Kind => "match";

    public override IReadOnlyList<string> Columns => [Column];

    public override string Description => Format switch
    {
        MatchFormat.Regex => $"match {Column} ~ {Pattern}",
        MatchFormat.Phone => $"match {Column} phone ({Region})",
        _ => $"match {Column} {Format.ToString().ToLowerInvariant()}",
    };
}
