using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;
using NpgsqlTypes;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// LIST/ARRAY of scalars → one-dimensional PostgreSQL arrays. Element types handed to
/// <see cref="IRowSink.SetArray{T}"/>: bool?, short?, int?, long?, decimal?, WideNumeric? (numerics that may exceed
/// decimal), float?, double?, string, byte[],
/// int? (date: days since 2000-01-01), TimeSpan?, DateTimeOffset? (timetz), long? (timestamp, timestamptz: µs since
/// 2000-01-01; int and long MinValue/MaxValue are ∓infinity, as PostgreSQL stores them),
/// NpgsqlInterval?, Guid?, BitArray — null elements as null.
/// </summary>
internal static class ArrayReaders
{
    public static DuckDbColumnReader For(DuckDbTypeInfo element, PgType target)
    {
        var id = element.Id;
        var rounded = new StrongBox<bool>();
        DuckDbColumnReader? reader = (target.Kind, id) switch
        {
            (PgTypeKind.Boolean, DuckDbType.Boolean) => new ArrayReader<bool?>(element, (v, i) => v.Get<byte>(i) != 0),
            (PgTypeKind.SmallInt, DuckDbType.TinyInt or DuckDbType.SmallInt or DuckDbType.UTinyInt) =>
                new ArrayReader<short?>(element, (v, i) => (short)DuckDbColumnReader.ReadInteger(v, id, i)),
            (PgTypeKind.Integer, DuckDbType.Integer or DuckDbType.USmallInt) =>
                new ArrayReader<int?>(element, (v, i) => (int)DuckDbColumnReader.ReadInteger(v, id, i)),
            (PgTypeKind.BigInt, DuckDbType.BigInt or DuckDbType.UInteger) =>
                new ArrayReader<long?>(element, (v, i) => DuckDbColumnReader.ReadInteger(v, id, i)),
            // Elements that may exceed decimal's 28 digits (HUGEINT, UHUGEINT, DECIMAL(p>18)) go as their exact digits.
            (PgTypeKind.Numeric, _) when IsWide(element) =>
                new ArrayReader<WideNumeric?>(element, (v, i) => WideElement(v, element, i)),
            (PgTypeKind.Numeric, DuckDbType.UBigInt or DuckDbType.Decimal) =>
                new ArrayReader<decimal?>(element, (v, i) => Numeric(v, element, i)),
            (PgTypeKind.Real, DuckDbType.Float) => new ArrayReader<float?>(element, (v, i) => v.Get<float>(i)),
            (PgTypeKind.DoublePrecision, DuckDbType.Double) => new ArrayReader<double?>(element, (v, i) => v.Get<double>(i)),
            (PgTypeKind.Text or PgTypeKind.Varchar, DuckDbType.Varchar) => new ArrayReader<string?>(element, Text),
            (PgTypeKind.Text or PgTypeKind.Varchar, DuckDbType.Enum) =>
                new ArrayReader<string?>(element, (v, i) => element.EnumLabels[DuckDbValues.EnumIndex(v, element.Internal, i)]),
            (PgTypeKind.Bytea, DuckDbType.Blob) => new ArrayReader<byte[]?>(element, (v, i) => v.Bytes(i).ToArray()),
            // Dates and timestamps as PostgreSQL stores them: DateOnly/DateTime have no room for infinity.
            (PgTypeKind.Date, DuckDbType.Date) => new ArrayReader<int?>(element, (v, i) => DuckDbValues.PgDate(v.Get<int>(i))),
            (PgTypeKind.Time, DuckDbType.Time) => new ArrayReader<TimeSpan?>(element, (v, i) => DuckDbValues.Time(v.Get<long>(i))),
            (PgTypeKind.Time, DuckDbType.TimeNs) => new ArrayReader<TimeSpan?>(element, (v, i) =>
            {
                var micros = DuckDbValues.NanosToMicros(v.Get<long>(i), out var exact);
                rounded.Value |= !exact;
                return DuckDbValues.Time(micros);
            }, rounded),
            (PgTypeKind.TimeTz, DuckDbType.TimeTz) => new ArrayReader<DateTimeOffset?>(element, (v, i) => DuckDbValues.TimeTz(v.Get<ulong>(i))),
            (PgTypeKind.Timestamp or PgTypeKind.TimestampTz, DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs
                or DuckDbType.TimestampNs or DuckDbType.TimestampTz) => new ArrayReader<long?>(element, (v, i) =>
            {
                var micros = DuckDbColumnReader.TimestampMicros(v, id, i, out var exact);
                rounded.Value |= !exact;
                return DuckDbValues.PgTimestamp(micros);
            }, rounded),
            (PgTypeKind.Interval, DuckDbType.Interval) => new ArrayReader<NpgsqlInterval?>(element, Interval),
            (PgTypeKind.Uuid, DuckDbType.Uuid) => new ArrayReader<Guid?>(element, Uuid),
            (PgTypeKind.VarBit or PgTypeKind.Bit, DuckDbType.Bit) => new ArrayReader<BitArray?>(element, (v, i) => DuckDbValues.Bits(v.Bytes(i))),
            _ => null,
        };
        return reader ?? throw new FerryException($"DuckDB lists of {element.ToSql()} cannot be written as {target.ToSql()}[]; choose jsonb or text.");
    }

    static unsafe NpgsqlInterval? Interval(VectorView v, int i) => DuckDbValues.Interval(v.Data + (i * 16));

    static unsafe Guid? Uuid(VectorView v, int i) => DuckDbValues.Uuid(v.Data + (i * 16));

    static string? Text(VectorView v, int i)
    {
        var bytes = v.Bytes(i);
        if (bytes.Contains((byte)0))
            throw new ValueException("an element holds the character U+0000, which PostgreSQL cannot store");
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    static bool IsWide(DuckDbTypeInfo element) =>
        element.Id is DuckDbType.HugeInt or DuckDbType.UHugeInt || element is { Id: DuckDbType.Decimal, Internal: DuckDbType.HugeInt };

    static unsafe decimal? Numeric(VectorView v, DuckDbTypeInfo element, int i) => element.Id == DuckDbType.UBigInt
        ? v.Get<ulong>(i)
        : DuckDbValues.Decimal((long)DuckDbValues.DecimalUnscaled(v, element.Internal, i), element.Scale);

    /// <summary>An element of up to 39 digits, exact (PostgreSQL's numeric takes them all).</summary>
    static unsafe WideNumeric? WideElement(VectorView v, DuckDbTypeInfo element, int i)
    {
        var text = element.Id switch
        {
            DuckDbType.UHugeInt => DuckDbValues.UHugeInt(v.Data + (i * 16)).ToString(CultureInfo.InvariantCulture),
            DuckDbType.HugeInt => DuckDbValues.HugeInt(v.Data + (i * 16)).ToString(CultureInfo.InvariantCulture),
            _ => DuckDbValues.DecimalText(DuckDbValues.HugeInt(v.Data + (i * 16)), element.Scale),
        };
        return WideNumeric.TryParse(text, out var value) ? value : throw new ValueException($"an element's digits '{text}' are not a number");
    }

    /// <summary>Reads a row's elements from the child vector into a fresh array.</summary>
    sealed class ArrayReader<T>(DuckDbTypeInfo element, Func<VectorView, int, T> get, StrongBox<bool>? rounded = null) : DuckDbColumnReader
    {
        readonly DuckDbTypeInfo _listType = new() { Id = DuckDbType.List, Child = element };

        public override void Read(VectorView v, int row, int column, IRowSink sink)
        {
            var (offset, length) = v.Elements(row);
            var child = v.Children[0];
            if (element.Id is DuckDbType.Varchar or DuckDbType.Blob && Limits.Field(Size(child, offset, length), "the array") is { } tooLarge)
            {
                sink.Reject(column, null, tooLarge);
                return;
            }

            var values = new T[length];
            try
            {
                if (rounded is not null)
                    rounded.Value = false;
                for (var i = 0; i < length; i++)
                    values[i] = child.IsValid(offset + i) ? get(child, offset + i) : default!;
            }
            catch (ValueException e)
            {
                sink.Reject(column, SafeText(v, row), e.Message);
                return;
            }

            if (rounded is { Value: true })
                sink.NoteRepair(column, SafeText(v, row) ?? "", NanosecondsNote("an element"));
            sink.SetArray(column, values);
        }

        /// <summary>An array of strings in PostgreSQL's binary form, less its header: each element's length and bytes.</summary>
        static long Size(VectorView child, int offset, int length)
        {
            var size = 4L * length;
            for (var i = 0; i < length; i++)
                size += child.IsValid(offset + i) ? child.Length(offset + i) : 0;
            return size;
        }

        string? SafeText(VectorView v, int row)
        {
            try
            {
                return ValueText.Json(v, _listType, row, TextBudget.ForPreview());
            }
            catch (ValueException)
            {
                return null;
            }
        }
    }
}
