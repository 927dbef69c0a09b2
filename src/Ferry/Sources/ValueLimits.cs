using System.Globalization;
using System.Text;

namespace Ferry.Sources;

/// <summary>
/// What PostgreSQL stores in one value, checked by the readers on a value's size before they build it: a value beyond
/// it is a rejected row naming its size and the limit, never an allocation that fails. One field is at most 1 GB
/// (<c>MaxAllocSize</c>, 0x3FFFFFFF bytes, less the 4-byte header of text, varchar, char, json and bytea); a jsonb string,
/// and the binary form of a jsonb object or array, at most <c>JENTRY_OFFLENMASK</c> (0x0FFFFFFF) bytes
/// (src/include/utils/jsonb.h, the same in every PostgreSQL since 9.4).
/// </summary>
internal sealed record ValueLimits(long FieldBytes, long JsonbBytes)
{
    public static readonly ValueLimits PostgreSql = new(0x3FFFFFFF - 4, 0x0FFFFFFF);

    /// <summary>Why a value of <paramref name="bytes"/> cannot be one field, or null; <paramref name="what"/> names it ("text", "a blob").</summary>
    public string? Field(long bytes, string what) =>
        bytes <= FieldBytes ? null : Invariant($"{what} of {bytes:N0} bytes is larger than one PostgreSQL field holds ({FieldBytes:N0} bytes)");

    /// <summary>Why a jsonb string (a key or a value) of <paramref name="bytes"/> cannot be stored, or null.</summary>
    public string? JsonbString(long bytes) =>
        bytes <= JsonbBytes ? null : Invariant($"a jsonb string of {bytes:N0} bytes is longer than PostgreSQL's jsonb holds ({JsonbBytes:N0} bytes){TextInstead}");

    /// <summary>Why a jsonb document whose strings alone take <paramref name="bytes"/> cannot be stored, or null.</summary>
    public string? JsonbDocument(long bytes) =>
        bytes <= JsonbBytes ? null : Invariant($"a jsonb document of more than {JsonbBytes:N0} bytes is larger than PostgreSQL's jsonb holds{TextInstead}");

    /// <summary>
    /// Why valid JSON text cannot be a jsonb value, or null: longer than one field, or holding a string longer than jsonb
    /// takes. A longer document of shorter strings is left to PostgreSQL: its binary form may be smaller or larger than
    /// its text.
    /// </summary>
    public string? JsonbText(ReadOnlySpan<byte> utf8) =>
        Field(utf8.Length, "JSON text") ?? (utf8.Length <= JsonbBytes ? null : JsonbString(Ferry.Internal.JsonText.LongestString(utf8)));

    /// <summary>Why a value whose text, as Ferry renders it, has passed one field's limit cannot be stored.</summary>
    public string FieldPassed(string what) =>
        Invariant($"{what} is larger than one PostgreSQL field holds ({FieldBytes:N0} bytes)");

    const string TextInstead = "; as json or text (--cast TABLE.COLUMN=json) it can hold up to 1 GB";

    /// <summary>The start of a long text, for the reject file: the value itself may be larger than anything can hold.</summary>
    public static string Preview(ReadOnlySpan<byte> utf8, bool binary = false)
    {
        const int Shown = 32;
        if (binary)
            return "\\x" + Convert.ToHexStringLower(utf8[..Math.Min(utf8.Length, Shown)]) + (utf8.Length > Shown ? "…" : "");
        var head = utf8[..Math.Min(utf8.Length, Shown * 4)];
        var text = Encoding.UTF8.GetString(head);
        return text.Length > Shown ? text[..Shown] + "…" : text + (head.Length < utf8.Length ? "…" : "");
    }

    /// <summary>Values longer than this are shown in a reject file by their start and their length.</summary>
    const int ShownWhole = 1_000_000;

    /// <summary>A rejected value as the reject file shows it: whole up to a million characters (a JSON writer refuses a string of 166 MB).</summary>
    public static string? Shown(string? value) =>
        value is { Length: > ShownWhole } ? value[..ShownWhole] + Invariant($"… ({value.Length:N0} characters)") : value;

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
