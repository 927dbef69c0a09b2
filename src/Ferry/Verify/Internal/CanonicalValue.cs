using System.Collections;
using System.Globalization;
using Ferry.Schema;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>
/// The canonical text of a value a source reader hands over, for the column's target type: the same value a
/// copy writes, rendered as PostgreSQL renders it (a reader may hand an integer to a double column, a
/// decimal to numeric(10,2): the column's type decides).
/// </summary>
internal static class CanonicalValue
{
    public static string Of(PgType type, long value) => type.Kind switch
    {
        PgTypeKind.Real => CanonicalText.Float4(value),
        PgTypeKind.DoublePrecision => CanonicalText.Float8(value),
        PgTypeKind.Boolean => CanonicalText.Boolean(value != 0),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    public static string Of(PgType type, double value) => type.Kind switch
    {
        PgTypeKind.Real => CanonicalText.Float4((float)value),
        PgTypeKind.Numeric => CanonicalText.Numeric(value.ToString("R", CultureInfo.InvariantCulture), type.Scale),
        _ => CanonicalText.Float8(value),
    };

    public static string Of(PgType type, float value) =>
        type.Kind == PgTypeKind.Real ? CanonicalText.Float4(value) : Of(type, (double)value);

    public static string Of(PgType type, decimal value) => type.Kind switch
    {
        PgTypeKind.Real => CanonicalText.Float4((float)value),
        PgTypeKind.DoublePrecision => CanonicalText.Float8((double)value),
        _ => CanonicalText.Numeric(value, type.Scale),
    };

    public static string OfNumericText(PgType type, string value) => type.Kind switch
    {
        PgTypeKind.Real => CanonicalText.Float4(float.Parse(value, CultureInfo.InvariantCulture)),
        PgTypeKind.DoublePrecision => CanonicalText.Float8(double.Parse(value, CultureInfo.InvariantCulture)),
        _ => CanonicalText.Numeric(value, type.Scale),
    };

    public static string Of(PgType type, string value) => type.Kind switch
    {
        PgTypeKind.Char => CanonicalText.Char(value),
        PgTypeKind.Jsonb => JsonbText.Normalize(value),
        PgTypeKind.Numeric => CanonicalText.Numeric(value, type.Scale),
        _ => value,
    };

    /// <summary>Whether <see cref="Of(PgType, string)"/> gives a text of this type back unchanged.</summary>
    public static bool TextIsCanonical(PgType type) => type.Kind is not (PgTypeKind.Char or PgTypeKind.Jsonb or PgTypeKind.Numeric);

    public static string Of(PgType type, DateTime value) => type.Kind switch
    {
        PgTypeKind.TimestampTz => CanonicalText.TimestampTz(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, type.Precision),
        PgTypeKind.Date => CanonicalText.Date(DateOnly.FromDateTime(value)),
        _ => CanonicalText.Timestamp(value, type.Precision),
    };

    public static string Of(PgType type, DateTimeOffset value) => type.Kind switch
    {
        PgTypeKind.TimestampTz => CanonicalText.TimestampTz(value.UtcDateTime, type.Precision),
        _ => CanonicalText.TimeTz(value, type.Precision),
    };

    /// <summary>A timestamp(tz) as PostgreSQL stores it (an array element, see <see cref="Ferry.Copy.IRowSink.SetArray{T}"/>).</summary>
    static string PgTimestamp(PgType type, long micros)
    {
        Span<char> buffer = stackalloc char[CanonicalText.MaxTimestampChars];
        return new string(buffer[..CanonicalText.Timestamp(micros, type.Precision, type.Kind == PgTypeKind.TimestampTz, buffer)]);
    }

    /// <summary>An array element, boxed: arrays are rare enough that boxing here costs nothing that matters.</summary>
    public static string Of(PgType type, object value) => value switch
    {
        bool b => CanonicalText.Boolean(b),
        short s => Of(type, (long)s),
        int days when type.Kind == PgTypeKind.Date => CanonicalText.Date(days),
        int i => Of(type, (long)i),
        long micros when type.Kind is PgTypeKind.Timestamp or PgTypeKind.TimestampTz => PgTimestamp(type, micros),
        long l => Of(type, l),
        float f => Of(type, f),
        double d => Of(type, d),
        decimal m => Of(type, m),
        Ferry.Copy.Internal.WideNumeric w => OfNumericText(type, w.Text),
        string s => Of(type, s),
        byte[] bytes => CanonicalText.Bytes(bytes),
        DateOnly date => CanonicalText.Date(date),
        TimeSpan time => CanonicalText.Time(time, type.Precision),
        DateTime dateTime => Of(type, dateTime),
        DateTimeOffset offset => Of(type, offset),
        NpgsqlInterval interval => CanonicalText.Interval(interval),
        Guid guid => CanonicalText.Uuid(guid),
        BitArray bits => CanonicalText.Bits(bits),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
