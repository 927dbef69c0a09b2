using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// Converts one column's values, read in place from its vector, to the column's PostgreSQL type with one typed
/// sink call. Chosen once per column before the first row; NULLs are handled by the caller.
/// </summary>
internal abstract class DuckDbColumnReader
{
    public abstract void Read(VectorView v, int row, int column, IRowSink sink);

    /// <summary>PostgreSQL's limits on one value: a longer VARCHAR, BLOB or BIT is rejected on its length in the vector, before anything is made of it.</summary>
    protected ValueLimits Limits { get; private set; } = ValueLimits.PostgreSql;

    /// <summary>The column is jsonb, whose own limits apply too.</summary>
    protected bool Jsonb { get; private set; }

    /// <summary>The reader for a DuckDB type written as <paramref name="target"/>, or a clear refusal.</summary>
    public static DuckDbColumnReader For(DuckDbTypeInfo source, PgType target, string columnName, ValueLimits? limits = null)
    {
        var declared = source;
        source = DuckDbReadCast.ReadType(source, target); // what the select hands over (WKB for GEOMETRY, JSON for VARIANT…)
        var id = source.Id;
        DuckDbColumnReader? reader = target.Kind switch
        {
            PgTypeKind.Boolean when id == DuckDbType.Boolean => new BooleanReader(),
            PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt when IsInteger(id) => new IntegerReader(id, target.Kind),
            PgTypeKind.Numeric when IsInteger(id) || id is DuckDbType.UBigInt or DuckDbType.HugeInt or DuckDbType.UHugeInt or DuckDbType.Decimal
                => new NumericReader(source),
            PgTypeKind.Numeric when id is DuckDbType.BigNum or DuckDbType.Varchar => new NumericTextReader(),
            PgTypeKind.Numeric when id is DuckDbType.Float or DuckDbType.Double => new DoubleReader(id), // --cast: the sink takes the shortest round-trip text.
            PgTypeKind.Real when id == DuckDbType.Float => new FloatReader(),
            PgTypeKind.DoublePrecision when id is DuckDbType.Double or DuckDbType.Float => new DoubleReader(id),
            PgTypeKind.Date or PgTypeKind.Timestamp when id == DuckDbType.Date => new DateReader(), // --cast day=timestamp: midnight.
            PgTypeKind.Time when id is DuckDbType.Time or DuckDbType.TimeNs => new TimeReader(id),
            PgTypeKind.TimeTz when id == DuckDbType.TimeTz => new TimeTzReader(),
            PgTypeKind.Timestamp or PgTypeKind.TimestampTz when IsTimestamp(id) => new TimestampReader(id, target.Kind == PgTypeKind.TimestampTz),
            PgTypeKind.Interval when id == DuckDbType.Interval => new IntervalReader(),
            PgTypeKind.Uuid when id == DuckDbType.Uuid => new UuidReader(),
            PgTypeKind.Bytea when id is DuckDbType.Blob or DuckDbType.Varchar => new BytesReader(),
            PgTypeKind.Geometry when id == DuckDbType.Blob => new GeometryReader(target.Srid),
            PgTypeKind.Bit or PgTypeKind.VarBit when id == DuckDbType.Bit => new BitReader(),
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Enum when id is DuckDbType.Varchar or DuckDbType.BigNum => new VarcharReader(),
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Enum when id == DuckDbType.Enum => new EnumReader(source),
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char => new RenderedTextReader(source, json: false),
            PgTypeKind.Json or PgTypeKind.Jsonb when source.IsJson && declared.Contains(t => t.Id == DuckDbType.Variant) => new VariantJsonReader(),
            PgTypeKind.Json or PgTypeKind.Jsonb when source.IsJson => new VarcharReader(),
            PgTypeKind.Json or PgTypeKind.Jsonb when id == DuckDbType.Varchar => new JsonTextReader(), // --cast: the text is the JSON
            PgTypeKind.Json or PgTypeKind.Jsonb => new RenderedTextReader(source, json: true),
            PgTypeKind.Array when id is DuckDbType.List or DuckDbType.Array => ArrayReaders.For(source.Child!, target.Element!),
            _ => null,
        };
        if (reader is null)
            throw new FerryException($"Column {columnName}: DuckDB type {source.ToSql()} cannot be written as {target.ToSql()}; choose text or jsonb, or keep the default mapping.");
        reader.Limits = limits ?? ValueLimits.PostgreSql;
        reader.Jsonb = target.Kind == PgTypeKind.Jsonb;
        return reader;
    }

    /// <summary>
    /// Rejects a VARCHAR, BLOB or BIT value (<paramref name="what"/>) longer than one field, or for jsonb holding a string
    /// longer than jsonb takes; true when it did.
    /// </summary>
    protected bool RejectedAsTooLong(VectorView v, int row, int column, IRowSink sink, string what)
    {
        var length = v.Length(row);
        if (length <= Limits.FieldBytes && (!Jsonb || length <= Limits.JsonbBytes))
            return false;
        if ((Limits.Field(length, what) ?? (Jsonb ? Limits.JsonbText(v.Bytes(row)) : null)) is not { } problem)
            return false;
        sink.Reject(column, ValueLimits.Preview(v.Prefix(row, 256), binary: what != "text"), problem);
        return true;
    }

    static bool IsInteger(DuckDbType id) => id is DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.Integer or DuckDbType.BigInt
        or DuckDbType.UTinyInt or DuckDbType.USmallInt or DuckDbType.UInteger;

    static bool IsTimestamp(DuckDbType id) => id is DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs
        or DuckDbType.TimestampNs or DuckDbType.TimestampTz;

    /// <summary>Signed and unsigned integers up to UINTEGER, as a long.</summary>
    internal static long ReadInteger(VectorView v, DuckDbType id, int row) => id switch
    {
        DuckDbType.TinyInt => v.Get<sbyte>(row),
        DuckDbType.SmallInt => v.Get<short>(row),
        DuckDbType.Integer => v.Get<int>(row),
        DuckDbType.BigInt => v.Get<long>(row),
        DuckDbType.UTinyInt => v.Get<byte>(row),
        DuckDbType.USmallInt => v.Get<ushort>(row),
        _ => v.Get<uint>(row),
    };

    /// <summary>A timestamp of any unit as microseconds; <paramref name="exact"/> false when nanoseconds were rounded.</summary>
    internal static long TimestampMicros(VectorView v, DuckDbType id, int row, out bool exact)
    {
        exact = true;
        var raw = v.Get<long>(row);
        return id switch
        {
            DuckDbType.TimestampS => DuckDbValues.ScaleToMicros(raw, 1_000_000),
            DuckDbType.TimestampMs => DuckDbValues.ScaleToMicros(raw, 1000),
            DuckDbType.TimestampNs => DuckDbValues.NanosToMicros(raw, out exact),
            _ => raw,
        };
    }

    internal static string NanosecondsNote(string original) =>
        $"{original} has nanoseconds below PostgreSQL's microsecond precision; rounded to the nearest microsecond (as PostgreSQL rounds such input)";

    sealed class BooleanReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink) => sink.SetBoolean(column, v.Get<byte>(row) != 0);
    }

    sealed class IntegerReader(DuckDbType id, PgTypeKind target) : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            var value = ReadInteger(v, id, row);
            switch (target)
            {
                case PgTypeKind.BigInt:
                    sink.SetInt64(column, value);
                    break;
                case PgTypeKind.Integer when value is >= int.MinValue and <= int.MaxValue:
                    sink.SetInt32(column, (int)value);
                    break;
                case PgTypeKind.SmallInt when value is >= short.MinValue and <= short.MaxValue:
                    sink.SetInt16(column, (short)value);
                    break;
                default:
                    sink.Reject(column, value.ToString(CultureInfo.InvariantCulture), $"out of range for {target}");
                    break;
            }
        }
    }

    /// <summary>Integers, UBIGINT, HUGEINT, UHUGEINT and DECIMAL: System.Decimal when it fits, else exact text.</summary>
    sealed unsafe class NumericReader(DuckDbTypeInfo source) : DuckDbColumnReader
    {
        readonly DuckDbType _id = source.Id;
        readonly DuckDbType _physical = source.Internal;
        readonly int _scale = source.Scale;

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            switch (_id)
            {
                case DuckDbType.UBigInt:
                    sink.SetDecimal(column, v.Get<ulong>(row));
                    break;
                case DuckDbType.HugeInt:
                    Scaled(DuckDbValues.HugeInt(v.Data + (row * 16)), 0, column, sink);
                    break;
                case DuckDbType.UHugeInt:
                    var unsigned = DuckDbValues.UHugeInt(v.Data + (row * 16));
                    if (DuckDbValues.TryDecimal(unsigned, out var d))
                        sink.SetDecimal(column, d);
                    else
                        sink.SetNumericText(column, unsigned.ToString(CultureInfo.InvariantCulture));
                    break;
                case DuckDbType.Decimal when _physical != DuckDbType.HugeInt:
                    sink.SetDecimal(column, DuckDbValues.Decimal((long)DuckDbValues.DecimalUnscaled(v, _physical, row), _scale));
                    break;
                case DuckDbType.Decimal:
                    Scaled(DuckDbValues.HugeInt(v.Data + (row * 16)), _scale, column, sink);
                    break;
                default:
                    sink.SetDecimal(column, ReadInteger(v, _id, row));
                    break;
            }
        }

        static void Scaled(Int128 unscaled, int scale, int column, IRowSink sink)
        {
            if (DuckDbValues.TryDecimal(unscaled, scale, out var d))
                sink.SetDecimal(column, d);
            else
                sink.SetNumericText(column, DuckDbValues.DecimalText(unscaled, scale));
        }
    }

    /// <summary>BIGNUM arrives cast to VARCHAR in the query: exact digits.</summary>
    sealed class NumericTextReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink) => sink.SetNumericText(column, ValueText.Utf8(v, row));
    }

    sealed class FloatReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink) => sink.SetFloat4(column, v.Get<float>(row));
    }

    sealed class DoubleReader(DuckDbType id) : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink) =>
            sink.SetFloat8(column, id == DuckDbType.Float ? v.Get<float>(row) : v.Get<double>(row));
    }

    sealed class DateReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            var days = v.Get<int>(row);
            if (DuckDbValues.IsInfinite(days, out var negative))
            {
                sink.SetInfinity(column, negative);
                return;
            }

            try
            {
                sink.SetDate(column, DuckDbValues.Date(days));
            }
            catch (ValueException e)
            {
                sink.Reject(column, string.Create(CultureInfo.InvariantCulture, $"{days} days from 1970-01-01"), e.Message);
            }
        }
    }

    sealed class TimeReader(DuckDbType id) : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            var raw = v.Get<long>(row);
            if (id == DuckDbType.Time)
            {
                sink.SetTime(column, DuckDbValues.Time(raw));
                return;
            }

            var micros = DuckDbValues.NanosToMicros(raw, out var exact);
            if (!exact)
                sink.NoteRepair(column, ValueText.Render(v, new DuckDbTypeInfo { Id = id }, row), NanosecondsNote("the time"));
            sink.SetTime(column, DuckDbValues.Time(micros));
        }
    }

    sealed class TimeTzReader : DuckDbColumnReader
    {
        static readonly DuckDbTypeInfo Type = new() { Id = DuckDbType.TimeTz };

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            try
            {
                sink.SetTimeTz(column, DuckDbValues.TimeTz(v.Get<ulong>(row)));
            }
            catch (ValueException e)
            {
                sink.Reject(column, ValueText.Render(v, Type, row), e.Message);
            }
        }
    }

    sealed class TimestampReader(DuckDbType id, bool utc) : DuckDbColumnReader
    {
        readonly DuckDbTypeInfo _type = new() { Id = id };

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            try
            {
                var micros = TimestampMicros(v, id, row, out var exact);
                if (DuckDbValues.IsInfinite(micros, out var negative))
                {
                    sink.SetInfinity(column, negative);
                    return;
                }

                if (!exact)
                    sink.NoteRepair(column, ValueText.Render(v, _type, row), NanosecondsNote("the timestamp"));
                var value = DuckDbValues.TimestampMicros(micros);
                if (utc)
                    sink.SetTimestampTz(column, DateTime.SpecifyKind(value, DateTimeKind.Utc));
                else
                    sink.SetTimestamp(column, value);
            }
            catch (ValueException e)
            {
                sink.Reject(column, ValueText.Render(v, _type, row), e.Message);
            }
        }
    }

    sealed unsafe class IntervalReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink) => sink.SetInterval(column, DuckDbValues.Interval(v.Data + (row * 16)));
    }

    sealed unsafe class UuidReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink) => sink.SetUuid(column, DuckDbValues.Uuid(v.Data + (row * 16)));
    }

    sealed class BytesReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            if (!RejectedAsTooLong(v, row, column, sink, "a blob"))
                sink.SetBytes(column, v.Bytes(row));
        }
    }

    /// <summary>WKB, which PostGIS's binary input takes; with an SRID, as EWKB carrying it (a flag and 4 bytes after the type).</summary>
    sealed class GeometryReader(int? srid) : DuckDbColumnReader
    {
        byte[] _ewkb = new byte[256];

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            var wkb = v.Bytes(row);
            if (srid is not { } id || wkb.Length < 5)
            {
                sink.SetBytes(column, wkb);
                return;
            }

            if (_ewkb.Length < wkb.Length + 4)
                _ewkb = new byte[Math.Max(wkb.Length + 4, _ewkb.Length * 2)];
            sink.SetBytes(column, Ferry.Internal.Wkb.WithSrid(wkb, id, _ewkb));
        }
    }

    sealed class BitReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            if (!RejectedAsTooLong(v, row, column, sink, "a bit string"))
                sink.SetBits(column, DuckDbValues.Bits(v.Bytes(row)));
        }
    }

    /// <summary>VARCHAR (and JSON text): UTF-8, which DuckDB guarantees valid; NUL is refused (PostgreSQL text cannot hold it).</summary>
    sealed class VarcharReader : DuckDbColumnReader
    {
        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            if (RejectedAsTooLong(v, row, column, sink, "text"))
                return;
            var bytes = v.Bytes(row);
            if (bytes.Contains((byte)0))
                sink.Reject(column, Encoding.UTF8.GetString(bytes).Replace("\0", "\\0", StringComparison.Ordinal), "the text holds the character U+0000, which PostgreSQL cannot store");
            else if (Utf8.IsValid(bytes))
                sink.SetTextUtf8(column, bytes); // the bytes go to COPY as they are: no string on the way
            else
                sink.SetText(column, Encoding.UTF8.GetString(bytes));
        }
    }

    /// <summary>VARCHAR cast to json/jsonb: the text is parsed as JSON, as PostgreSQL's text → jsonb cast does (not quoted as a string).</summary>
    sealed class JsonTextReader : DuckDbColumnReader
    {
        readonly VarcharReader _text = new();

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            if (RejectedAsTooLong(v, row, column, sink, "text"))
                return;
            var bytes = v.Bytes(row);
            if (Ferry.Internal.JsonText.IsValid(bytes))
            {
                _text.Read(v, row, column, sink);
                return;
            }

            var text = Encoding.UTF8.GetString(bytes);
            sink.Reject(column, text, $"text '{(text.Length <= 60 ? text : text[..57] + "...")}' is not valid JSON");
        }
    }

    /// <summary>A VARIANT's JSON as DuckDB writes it, with a double's NaN or infinity as a string (JSON has no such number).</summary>
    sealed class VariantJsonReader : DuckDbColumnReader
    {
        readonly VarcharReader _text = new();

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            if (Ferry.Internal.JsonText.QuoteNonFinite(v.Bytes(row)) is { } quoted)
                sink.SetText(column, quoted);
            else
                _text.Read(v, row, column, sink);
        }
    }

    sealed class EnumReader(DuckDbTypeInfo source) : DuckDbColumnReader
    {
        readonly string[] _labels = source.EnumLabels;
        readonly DuckDbType _physical = source.Internal;

        public override void Read(VectorView v, int row, int column, IRowSink sink) =>
            sink.SetText(column, _labels[DuckDbValues.EnumIndex(v, _physical, row)]);
    }

    /// <summary>Any value rendered as text or as a JSON document (STRUCT, MAP, UNION, nested lists), refused once it outgrows what PostgreSQL takes.</summary>
    sealed class RenderedTextReader(DuckDbTypeInfo source, bool json) : DuckDbColumnReader
    {
        TextBudget? _budget;

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            _budget ??= new TextBudget(Limits, Jsonb);
            _budget.Reset();
            try
            {
                sink.SetText(column, json ? ValueText.Json(v, source, row, _budget) : ValueText.Render(v, source, row, _budget));
            }
            catch (ValueException e)
            {
                sink.Reject(column, null, e.Message);
            }
        }
    }
}
