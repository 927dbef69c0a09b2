using System.Globalization;
using System.Text;
using Ferry.Copy;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Converts one column's values, whatever their SQLite storage class, to the column's PostgreSQL type
/// through the sink's typed setters. One instance per column, chosen by target type before the first row;
/// each value dispatches on its storage class only. Values that do not convert are rejected with a reason
/// naming the storage class and the value.
/// </summary>
internal abstract class SqliteValueReader
{
    protected static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What a value must be, for reject reasons: "an integer", "a date".</summary>
    protected abstract string What { get; }

    /// <summary>PostgreSQL's limits on one value: a longer TEXT or BLOB is rejected before anything is made of it.</summary>
    ValueLimits _limits = ValueLimits.PostgreSql;

    protected ValueLimits Limits => _limits;

    /// <summary>
    /// Converts one value (<see cref="SqliteColumnAccess.Value"/> and its storage class) into <paramref name="sink"/>'s
    /// column <paramref name="column"/>.
    /// </summary>
    public void Read(nint value, int storage, int column, IRowSink sink)
    {
        switch (storage)
        {
            case SqliteColumnAccess.Null:
                sink.SetNull(column);
                break;
            case SqliteColumnAccess.Integer:
                Integer(SqliteColumnAccess.Int64(value), column, sink);
                break;
            case SqliteColumnAccess.Float:
                Real(SqliteColumnAccess.Double(value), column, sink);
                break;
            case SqliteColumnAccess.Text:
                var text = SqliteColumnAccess.TextBytes(value);
                if (text.Length > _limits.FieldBytes)
                    sink.Reject(column, ValueLimits.Preview(text), _limits.Field(text.Length, "text")!);
                else
                    Text(text, column, sink);
                break;
            default:
                var blob = SqliteColumnAccess.BlobBytes(value);
                if (blob.Length > _limits.FieldBytes)
                    sink.Reject(column, ValueLimits.Preview(blob, binary: true), _limits.Field(blob.Length, "a blob")!);
                else
                    Blob(blob, column, sink);
                break;
        }
    }

    protected virtual void Integer(long value, int column, IRowSink sink) => RejectInteger(value, column, sink, What);

    protected virtual void Real(double value, int column, IRowSink sink) => RejectReal(value, column, sink, What);

    protected virtual void Text(ReadOnlySpan<byte> value, int column, IRowSink sink) => RejectText(value, column, sink, What);

    protected virtual void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink) =>
        sink.Reject(column, Hex(value), $"blob of {value.Length} bytes is not {What}");

    protected static void RejectInteger(long value, int column, IRowSink sink, string what)
    {
        var text = value.ToString(Invariant);
        sink.Reject(column, text, $"integer {text} is not {what}");
    }

    protected static void RejectReal(double value, int column, IRowSink sink, string what)
    {
        var text = RealText(value);
        sink.Reject(column, text, $"real {text} is not {what}");
    }

    protected static void RejectText(ReadOnlySpan<byte> value, int column, IRowSink sink, string what)
    {
        var text = Encoding.UTF8.GetString(value);
        sink.Reject(column, text, $"text '{Preview(text)}' is not {what}");
    }

    protected static string Preview(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>A REAL as SQLite prints it: shortest round-trip digits, with ".0" on whole numbers.</summary>
    internal static string RealText(double value)
    {
        var text = value.ToString("R", Invariant);
        return double.IsFinite(value) && text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text;
    }

    internal static string Hex(ReadOnlySpan<byte> value) => "\\x" + Convert.ToHexStringLower(value);

    protected static bool IsBlank(ReadOnlySpan<byte> s) => s.Trim((byte)' ').IsEmpty;

    /// <summary>The reader for a column's target type.</summary>
    public static SqliteValueReader For(PlannedColumn column, SqliteTextDecoder text, string table) =>
        TryFor(column.Type, text) ?? throw new FerryException(CannotRead(column, table));

    /// <summary>Why no reader produces the column's type (a --cast to one SQLite's values do not convert to).</summary>
    public static string CannotRead(PlannedColumn column, string table) =>
        $"Column {table}.{column.SourceName}: SQLite values cannot be read as {column.Type.ToSql()}. Choose another type for it (bigint, double precision, numeric, boolean, text, bytea, date, timestamp, timestamptz, time, uuid, jsonb).";

    /// <summary>The reader for a target type (with the decoder's limits); null when there is none.</summary>
    public static SqliteValueReader? TryFor(PgType type, SqliteTextDecoder text) => Limited(type.Kind switch
    {
        PgTypeKind.BigInt => new SqliteInt64Reader(),
        PgTypeKind.Integer => new SqliteInt32Reader(),
        PgTypeKind.SmallInt => new SqliteInt16Reader(),
        PgTypeKind.DoublePrecision => new SqliteFloat8Reader(),
        PgTypeKind.Real => new SqliteFloat4Reader(),
        PgTypeKind.Numeric => new SqliteNumericReader(type),
        PgTypeKind.Boolean => new SqliteBooleanReader(),
        PgTypeKind.Text or PgTypeKind.Enum => new SqliteTextReader(text, null, null),
        PgTypeKind.Varchar or PgTypeKind.Char => new SqliteTextReader(text, type.Length, type.ToSql()),
        PgTypeKind.Json or PgTypeKind.Jsonb => new SqliteJsonReader(text, type.Kind == PgTypeKind.Jsonb),
        PgTypeKind.Bytea => new SqliteBytesReader(),
        PgTypeKind.Date => new SqliteDateReader(),
        PgTypeKind.Timestamp => new SqliteTimestampReader(utc: false),
        PgTypeKind.TimestampTz => new SqliteTimestampReader(utc: true),
        PgTypeKind.Time => new SqliteTimeReader(),
        PgTypeKind.Uuid => new SqliteUuidReader(),
        _ => null,
    }, text.Limits);

    static SqliteValueReader? Limited(SqliteValueReader? reader, ValueLimits limits)
    {
        reader?._limits = limits;
        return reader;
    }

    internal static bool TryParseInteger(ReadOnlySpan<byte> value, out long result) =>
        long.TryParse(value.Trim((byte)' '), NumberStyles.AllowLeadingSign, Invariant, out result);
}
