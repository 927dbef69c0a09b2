using System.Text;
using Ferry.Schema;

namespace Ferry.Transforms.Steps;

/// <summary>
/// <c>normalize: lower_trim | trim | lower | upper</c>: Unicode case mapping of the invariant culture (the same in
/// every locale; simple mappings, so a value keeps its length: <c>ß</c> stays <c>ß</c> in upper; Turkish <c>İ</c> and
/// <c>ı</c> are left as they are, the invariant culture's one exception), and trimming of
/// Unicode White_Space at both ends (<see cref="char.IsWhiteSpace(char)"/>: spaces, tabs, line breaks, no-break
/// and ideographic spaces). A value the step does not change is passed on as it is, without a copy.
/// </summary>
public sealed class NormalizeStep(TextNormalization form) : ColumnStep
{
    public TextNormalization Form { get; } = form;

    public override string Description => Form switch
    {
        TextNormalization.LowerTrim => "lower-cased and trimmed",
        TextNormalization.Trim => "trimmed",
        TextNormalization.Lower => "lower-cased",
        _ => "upper-cased",
    };

    public override bool Accepts(PgType type) => TextColumns.Accepts(type);

    /// <summary>An enum's labels change case: the column becomes text.</summary>
    public override PgType? ResultType(PgType planned) => Form == TextNormalization.Trim ? null : TextColumns.Widened(planned, 0);

    public override string Text(string value)
    {
        var (start, end) = (0, value.Length);
        if (Form is TextNormalization.LowerTrim or TextNormalization.Trim)
        {
            while (start < end && char.IsWhiteSpace(value[start]))
                start++;
            while (end > start && char.IsWhiteSpace(value[end - 1]))
                end--;
        }

        var kept = value.AsSpan(start, end - start);
        var lower = Form is TextNormalization.LowerTrim or TextNormalization.Lower;
        if (Form == TextNormalization.Trim || Unchanged(kept, lower))
            return kept.Length == value.Length ? value : kept.ToString();

        return string.Create(kept.Length, (value, start, lower), static (target, s) =>
        {
            var source = s.value.AsSpan(s.start, target.Length);
            if (s.lower)
                source.ToLowerInvariant(target);
            else
                source.ToUpperInvariant(target);
        });
    }

    /// <summary>Whether case mapping leaves every character (a surrogate pair as one) as it is.</summary>
    static bool Unchanged(ReadOnlySpan<char> text, bool lower)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if ((lower ? Rune.ToLowerInvariant(rune) : Rune.ToUpperInvariant(rune)) != rune)
                return false;
        }

        return true;
    }
}
