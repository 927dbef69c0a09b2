namespace Ferry.Migrations.Internal;

/// <summary>
/// A migration version such as <c>001</c> or <c>1.10</c>: compared as numbers part by part, so <c>1.10</c> &gt;
/// <c>1.9</c> and <c>001</c> = <c>1</c>. Parts are kept as digit strings, so any length works.
/// </summary>
internal sealed class MigrationVersion : IComparable<MigrationVersion>, IEquatable<MigrationVersion>
{
    readonly string[] _parts;

    MigrationVersion(string text, string[] parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>As written (<c>_</c> between parts shown as <c>.</c>).</summary>
    public string Text { get; }

    public static MigrationVersion? TryParse(string text)
    {
        var parts = text.Split('.', '_');
        if (parts.Length == 0 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
            return null;
        return new MigrationVersion(string.Join('.', parts), parts.Select(p => p.TrimStart('0')).ToArray());
    }

    public static MigrationVersion Parse(string text) =>
        TryParse(text) ?? throw new FerryException($"'{text}' is not a migration version: use digits, with '.' between parts (001, 2, 1.10).");

    /// <summary>The first part as a number, for numbering the next migration.</summary>
    public System.Numerics.BigInteger Major => _parts[0].Length == 0 ? 0 : System.Numerics.BigInteger.Parse(_parts[0], System.Globalization.CultureInfo.InvariantCulture);

    public int CompareTo(MigrationVersion? other)
    {
        if (other is null)
            return 1;
        for (var i = 0; i < Math.Max(_parts.Length, other._parts.Length); i++)
        {
            var a = i < _parts.Length ? _parts[i] : "";
            var b = i < other._parts.Length ? other._parts[i] : "";
            var order = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
            if (order != 0)
                return order;
        }

        return 0;
    }

    public bool Equals(MigrationVersion? other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is MigrationVersion other && Equals(other);

    public override int GetHashCode() => string.Join('.', _parts.Reverse().SkipWhile(p => p.Length == 0).Reverse()).GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    public static bool operator <(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(MigrationVersion a, MigrationVersion b) => a.CompareTo(b) >= 0;

    public static bool operator ==(MigrationVersion? a, MigrationVersion? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(MigrationVersion? a, MigrationVersion? b) => !(a == b);
}
