using Ferry.Schema;
using PhoneNumbers;

namespace Ferry.Transforms.Steps;

/// <summary>
/// <c>validate: phone, region: XX</c> (and <c>normalize: e164</c>): a phone number valid by Google's libphonenumber
/// metadata (libphonenumber-csharp), read as a number of <c>region</c> (an ISO 3166 two-letter code) unless it
/// begins with <c>+</c> and its country code. With E.164, a valid number is written as <c>+</c>, the country code
/// and the national number (<c>(201) 555-0123</c> in US → <c>+12015550123</c>); without, it is kept as written.
/// <c>normalize: e164</c> alone is this step with <c>invalid: keep</c>.
/// </summary>
public sealed class ValidatePhoneStep : ValidationStep
{
    /// <summary>"+" and at most 15 digits (ITU-T E.164).</summary>
    const int E164Length = 16;

    static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public ValidatePhoneStep(string region, ValuePolicy invalid, bool e164)
        : base("phone", invalid, "not a valid phone number")
    {
        ArgumentNullException.ThrowIfNull(region);
        var code = region.Trim().ToUpperInvariant();
        if (!Numbers.GetSupportedRegions().Contains(code))
            throw new FerryException($"validate phone: region '{region}' is not a region libphonenumber knows; give an ISO 3166 two-letter country code such as US, GB or DE.");
        Region = code;
        E164 = e164;
    }

    /// <summary>The region a number without a <c>+</c> country code is read in.</summary>
    public string Region { get; }

    /// <summary>Whether a valid number is written in E.164.</summary>
    public bool E164 { get; }

    private protected override string Detail => E164 ? $" {Region} → E.164" : $" {Region}";

    /// <summary>E.164 numbers have up to 16 characters: a shorter varchar or char, or an enum, becomes text.</summary>
    private protected override bool Rewrites => E164;

    public override PgType? ResultType(PgType planned) => E164 ? TextColumns.Widened(planned, E164Length) : null;

    private protected override bool Validate(ref string value)
    {
        PhoneNumber number;
        try
        {
            number = Numbers.Parse(value, Region);
        }
        catch (NumberParseException)
        {
            return false;
        }

        if (!Numbers.IsValidNumber(number))
            return false;
        if (E164)
            value = Numbers.Format(number, PhoneNumberFormat.E164);
        return true;
    }
}
