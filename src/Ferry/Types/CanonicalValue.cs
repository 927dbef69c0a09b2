using System.Collections;
using System.Globalization;
using Ferry.Schema;
using Ferry.Types.Numeric;
using Ferry.Types.Temporal;
using Ferry.Types.Text;
using NpgsqlTypes;

namespace Ferry.Types;

/// <summary>
/// The canonical text of a value a source reader hands over, for the column's target type: the same value a
/// copy writes, rendered as PostgreSQL renders it (a reader may hand an integer to a double column, a
/// decimal to numeric(10,2): the column's type decides).
/// </summary>
internal static class CanonicalValue
{
    // The row hasher's fast paths, where a value's text is written in place: which types take them.

    /// <summary>An integer's canonical text in this column is its decimal digits (not a float, double or boolean column).</summary>
    public static bool PrintsIntegerAsIs(PgType type) => type.Kind is not (PgTypeKind.Real or PgTypeKind.DoublePrecision or PgTypeKind.Boolean);

    public static bool IsReal(PgType type) => type.Kind == PgTypeKind.Real;

    public static bool IsDoublePrecision(PgType type) => type.Kind == PgTypeKind.DoublePrecision;

    public static bool IsNumeric(PgType type) => type.Kind == PgTypeKind.Numeric;

    /// <summary>char(n): its text drops the padding.</summary>
    public static bool IsBlankPadded(PgType type) => type.Kind == PgTypeKind.Char;

    public static bool IsGeometry(PgType type) => type.Kind == PgTypeKind.Geometry;

    public static bool IsTimestamp(PgType type) => type.Kind == PgTypeKind.Timestamp;

    public static string Of(PgType type, long value) => type.Kind switch
    {
        PgTypeKind.Real => FloatText.Float4(value),
        PgTypeKind.DoublePrecision => FloatText.Float8(value),
        PgTypeKind.Boolean => CanonicalText.Boolean(value != 0),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    public static string Of(PgType type, double value) => type.Kind switch
    {
        PgTypeKind.Real => FloatText.Float4((float)value),
        PgTypeKind.Numeric => CanonicalText.Numeric(value.ToString("R", CultureInfo.InvariantCulture), type.Scale),
        _ => FloatText.Float8(value),
    };

    public static string Of(PgType type, float value) =>
        type.Kind == PgTypeKind.Real ? FloatText.Float4(value) : Of(type, (double)value);

    public static string Of(PgType type, decimal value) => type.Kind switch
    {
        PgTypeKind.Real => FloatText.Float4((float)value),
        PgTypeKind.DoublePrecision => FloatText.Float8((double)value),
        _ => CanonicalText.Numeric(value, type.Scale),
    };

    public static string OfNumericText(PgType type, string value) => type.Kind switch
    {
        PgTypeKind.Real => FloatText.Float4(float.Parse(value, CultureInfo.InvariantCulture)),
        PgTypeKind.DoublePrecision => FloatText.Float8(double.Parse(value, CultureInfo.InvariantCulture)),
        _ => CanonicalText.Numeric(value, type.Scale),
    };

    public static string Of(PgType type, string value) => type.Kind switch
    {
        PgTypeKind.Char => CanonicalText.Char(value),
        PgTypeKind.Jsonb => JsonbText.Normalize(value),
        PgTypeKind.Numeric => CanonicalText.Numeric(value, type.Scale),
        _ => type.Handler is { } registered ? registered.CanonicalText(value) : value,
    };

    /// <summary>Whether <see cref="Of(PgType, string)"/> gives a text of this type back unchanged.</summary>
    public static bool TextIsCanonical(PgType type) => type.Kind is not (PgTypeKind.Char or PgTypeKind.Jsonb or PgTypeKind.Numeric) && type.Handler is null;

    public static string Of(PgType type, DateTime value) => type.Kind switch
    {
        PgTypeKind.TimestampTz => TemporalText.TimestampTz(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, type.Precision),
        PgTypeKind.Date => TemporalText.Date(DateOnly.FromDateTime(value)),
        _ => TemporalText.Timestamp(value, type.Precision),
    };

    public static string Of(PgType type, DateTimeOffset value) => type.Kind switch
    {
        PgTypeKind.TimestampTz => TemporalText.TimestampTz(value.UtcDateTime, type.Precision),
        _ => TemporalText.TimeTz(value, type.Precision),
    };

    /// <summary>A timestamp(tz) as PostgreSQL stores it (an array element, see <see cref="Ferry.Copy.IRowSink.SetArray{T}"/>).</summary>
    static string PgTimestamp(PgType type, long micros)
    {
        Span<char> buffer = stackalloc char[TemporalText.MaxTimestampChars];
        return new string(buffer[..TemporalText.Timestamp(micros, type.Precision, type.Kind == PgTypeKind.TimestampTz, buffer)]);
    }

    /// <summary>An array element, boxed: arrays are rare enough that boxing here costs nothing that matters.</summary>
    public static string Of(PgType type, object value) => value switch
    {
        bool b => CanonicalText.Boolean(b),
        short s => Of(type, (long)s),
        int days when type.Kind == PgTypeKind.Date => TemporalText.Date(days),
        int i => Of(type, (long)i),
        long micros when type.Kind is PgTypeKind.Timestamp or PgTypeKind.TimestampTz => PgTimestamp(type, micros),
        long l => Of(type, l),
        float f => Of(type, f),
        double d => Of(type, d),
        decimal m => Of(type, m),
        Ferry.Copy.Internal.WideNumeric w => OfNumericText(type, w.Text),
        string s => Of(type, s),
        byte[] bytes => CanonicalText.Bytes(bytes),
        DateOnly date => TemporalText.Date(date),
        TimeSpan time => TemporalText.Time(time, type.Precision),
        DateTime dateTime => Of(type, dateTime),
        DateTimeOffset offset => Of(type, offset),
        NpgsqlInterval interval => TemporalText.Interval(interval),
        Guid guid => CanonicalText.Uuid(guid),
        BitArray bits => CanonicalText.Bits(bits),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
