using Ferry.Schema;

namespace Ferry.Transforms.Steps;

/// <summary>
/// <c>hash: bcrypt, cost: N</c>: each password becomes an OpenBSD bcrypt hash (<c>$2b$</c>, a random salt, 2^cost
/// rounds) through BCrypt.Net-Next, which PHP's password_verify, Node's bcrypt, Python's bcrypt, Spring Security and
/// Devise all check. A value that is already a bcrypt hash (<c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c>, a cost of
/// 04–31 and 53 characters of salt and hash) is kept, so a half-migrated table is not hashed twice. The values are
/// secret (<see cref="Masks"/>); bcrypt reads at most 72 bytes of UTF-8, as every bcrypt does.
/// </summary>
public sealed class BcryptStep : ColumnStep
{
    /// <summary>The costs bcrypt defines (2^4 to 2^31 rounds).</summary>
    public const int MinCost = 4, MaxCost = 31;

    const int HashLength = 60;

    static readonly System.Buffers.SearchValues<char> Base64 =
        System.Buffers.SearchValues.Create("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    public BcryptStep(int cost)
    {
        if (cost is < MinCost or > MaxCost)
            throw new FerryException($"hash: bcrypt: cost {cost} is outside bcrypt's {MinCost}..{MaxCost} (each step doubles the time; 10 to 12 is usual).");
        Cost = cost;
    }

    public int Cost { get; }

    public override string Description => $"bcrypt cost {Cost}";

    public override bool Accepts(PgType type) => TextColumns.Accepts(type);

    /// <summary>A hash has 60 characters: a shorter varchar or char, or an enum, becomes text.</summary>
    public override PgType? ResultType(PgType planned) => TextColumns.Widened(planned, HashLength);

    public override bool Masks => true;

    public override bool Deterministic => false;

    /// <summary>A hash takes tens to hundreds of milliseconds by design: the copy spreads the table over every job.</summary>
    public override bool Expensive => true;

    public override string Text(string value) =>
        IsHash(value) ? value : BCrypt.Net.BCrypt.HashPassword(value, BCrypt.Net.BCrypt.GenerateSalt(Cost, 'b'));

    /// <summary>Whether <paramref name="target"/> is a bcrypt hash of the password <paramref name="source"/>, or <paramref name="source"/> itself when that was a hash already.</summary>
    public override bool Matches(string source, string target)
    {
        if (IsHash(source))
            return string.Equals(source, target, StringComparison.Ordinal);
        return IsHash(target) && BCrypt.Net.BCrypt.Verify(source, target);
    }

    /// <summary>Whether <paramref name="value"/> has a bcrypt hash's shape: <c>$2a$</c>/<c>$2b$</c>/<c>$2y$</c>, two cost digits 04–31, <c>$</c>, 53 of bcrypt's base-64 characters.</summary>
    public static bool IsHash(ReadOnlySpan<char> value)
    {
        if (value.Length != HashLength || value[0] != '$' || value[1] != '2' || value[2] is not ('a' or 'b' or 'y') || value[3] != '$' || value[6] != '$')
            return false;
        if (!char.IsAsciiDigit(value[4]) || !char.IsAsciiDigit(value[5]))
            return false;
        var cost = ((value[4] - '0') * 10) + (value[5] - '0');
        return cost is >= MinCost and <= MaxCost && !value[7..].ContainsAnyExcept(Base64);
    }
}
