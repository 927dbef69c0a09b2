using System.Globalization;
using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Schema;

namespace Ferry.Types.Arrays;

/// <summary>One-dimensional arrays of <see cref="PgType.Element"/>, null elements included.</summary>
internal sealed class ArrayType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Array];

    /// <summary>An array's catalog name is its element's with a leading underscore; verify reads the element's.</summary>
    public override IReadOnlyList<string> CatalogNames => [];

    public override string CatalogName(PgType type) => "_" + PgTypes.For(type.Element!).CatalogName(type.Element!);

    public override string ToSql(PgType type) => type.Element!.ToSql() + "[]";

    public override uint Oid(PgType type) => throw new InvalidOperationException($"No binary COPY writer for arrays of {type.ToSql()}.");

    public override ColumnSlots CreateSlots(PgType type, int capacity) =>
        new ArraySlots(capacity, PgTypes.For(type.Element!).Oid(type.Element!), type.Element!.Kind == PgTypeKind.Jsonb);
}

/// <summary>One-dimensional arrays: the writer for the element type is built on the first value and reused.</summary>
internal sealed class ArraySlots(int capacity, uint elementOid, bool jsonb) : ColumnSlots(capacity)
{
    Action<BinaryCopyWriter, object>? _writer;
    Type? _arrayType;

    public object?[] Values { get; } = new object?[capacity];

    public string? Set<T>(int row, T[] value)
    {
        // Npgsql would write DateOnly/DateTime Min/MaxValue (real dates) as ∓infinity: send PostgreSQL's own values.
        switch (value)
        {
            case DateOnly?[] dates:
                return Set(row, Array.ConvertAll(dates, d => d is { } v ? PgTemporal.Days(v) : (int?)null));
            case DateOnly[] dates:
                return Set(row, Array.ConvertAll(dates, d => (int?)PgTemporal.Days(d)));
            case DateTime?[] timestamps:
                return Set(row, Array.ConvertAll(timestamps, t => t is { } v ? PgTemporal.InstantMicros(v) : (long?)null));
            case DateTime[] timestamps:
                return Set(row, Array.ConvertAll(timestamps, t => (long?)PgTemporal.InstantMicros(t)));
        }

        if (_arrayType is null)
        {
            if (!ArrayElements.Writes<T>())
                return $"arrays of {typeof(T).Name} cannot be written";
            _arrayType = typeof(T[]);
            _writer = (writer, array) => writer.WriteArray((T[])array, elementOid, jsonb);
        }
        else if (_arrayType != typeof(T[]))
        {
            return $"array of {typeof(T).Name} where this column's arrays are of {_arrayType.GetElementType()!.Name}";
        }

        Values[row] = value;
        return null;
    }

    protected override void WriteValue(BinaryCopyWriter writer, int row) => _writer!(writer, Values[row]!);

    protected override string RenderValue(int row) => Values[row] is Array a
        ? "{" + string.Join(",", a.Cast<object?>().Select(e => e is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : e?.ToString() ?? "NULL")) + "}"
        : "";

    public override void Reset() => Array.Clear(Values);
}
