using NpgsqlTypes;

namespace Ferry.Copy;

/// <summary>
/// Receives one row's values, typed, from a source reader. The copy pipeline implements it with a row
/// buffer that writes binary COPY only once the whole row converted; a row with a rejected value is not
/// written, it goes to the reject log with its key, column, value and reason.
/// Column indexes are positions among the copied columns of the table.
/// </summary>
public interface IRowSink
{
    void SetNull(int column);

    void SetBoolean(int column, bool value);

    void SetInt16(int column, short value);

    void SetInt32(int column, int value);

    void SetInt64(int column, long value);

    void SetFloat4(int column, float value);

    void SetFloat8(int column, double value);

    /// <summary>numeric within decimal's range (28-29 significant digits).</summary>
    void SetDecimal(int column, decimal value);

    /// <summary>numeric beyond decimal (HUGEINT, UBIGINT, DECIMAL(38,s)), as its exact decimal text: <c>-12.5</c>, <c>170141183460469231731687303715884105727</c>.</summary>
    void SetNumericText(int column, string value);

    /// <summary>text, varchar, char, json, jsonb and enum columns.</summary>
    void SetText(int column, string value);

    /// <summary>
    /// <see cref="SetText"/> for a value already in valid UTF-8 (the caller checked): a sink may pass the bytes on
    /// without making a string. <paramref name="value"/> is read before the call returns, not kept.
    /// </summary>
    void SetTextUtf8(int column, ReadOnlySpan<byte> value) => SetText(column, System.Text.Encoding.UTF8.GetString(value));

    void SetBytes(int column, ReadOnlySpan<byte> value);

    /// <summary>date: the real date (DateOnly.MinValue and MaxValue are 0001-01-01 and 9999-12-31, never infinity).</summary>
    void SetDate(int column, DateOnly value);

    /// <summary>time without time zone.</summary>
    void SetTime(int column, TimeSpan value);

    /// <summary>time with time zone: the local time and its offset.</summary>
    void SetTimeTz(int column, DateTimeOffset value);

    /// <summary>timestamp without time zone (<see cref="DateTimeKind.Unspecified"/>); Min/MaxValue are real timestamps, never infinity.</summary>
    void SetTimestamp(int column, DateTime value);

    /// <summary>timestamp with time zone: the instant, in UTC (<see cref="DateTimeKind.Utc"/>).</summary>
    void SetTimestampTz(int column, DateTime utcValue);

    /// <summary>PostgreSQL's <c>infinity</c> (or <c>-infinity</c>) in a date, timestamp or timestamptz column.</summary>
    void SetInfinity(int column, bool negative) => Reject(column, Ferry.Internal.PgTemporal.InfinityText(negative), "this sink cannot store infinity");

    void SetInterval(int column, NpgsqlInterval value);

    void SetUuid(int column, Guid value);

    /// <summary>
    /// A one-dimensional array column (element type per <see cref="Schema.PgType.Element"/>); null elements allowed for
    /// reference types and Nullable. date and timestamp elements may be given as PostgreSQL stores them, which can
    /// hold ±infinity: int? days since 2000-01-01 for date[], long? microseconds since 2000-01-01 (the UTC instant for
    /// timestamptz) for timestamp[] (int and long MinValue/MaxValue are -infinity/infinity).
    /// </summary>
    void SetArray<T>(int column, T[] value);

    void SetBits(int column, System.Collections.BitArray value);

    /// <summary>
    /// A value in PostgreSQL's binary COPY form for the column's planned type, as a PostgreSQL source's server sent it:
    /// passed on unchanged. <paramref name="field"/> is read before the call returns, not kept.
    /// </summary>
    void SetBinary(int column, ReadOnlySpan<byte> field) => Reject(column, null, "this sink takes no binary COPY fields");

    /// <summary>The row cannot be copied: <paramref name="value"/> (as text, may be null) in <paramref name="column"/> did not convert, for <paramref name="reason"/>.</summary>
    void Reject(int column, string? value, string reason);

    /// <summary>A value was changed to fit (e.g. invalid UTF-8 decoded as Windows-1252); logged, the row is still written.</summary>
    void NoteRepair(int column, string original, string reason);
}
