using System.Globalization;
using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Schema;

namespace Ferry.Types.Numeric;

/// <summary>numeric(p,s): decimal or <see cref="WideNumeric"/> values, checked against the precision before sending.</summary>
internal sealed class NumericType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Numeric];

    public override IReadOnlyList<string> CatalogNames => ["numeric"];

    public override string ToSql(PgType type) => type.Precision is { } p
        ? type.Scale is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"numeric({p},{s})")
            : string.Create(CultureInfo.InvariantCulture, $"numeric({p})")
        : "numeric";

    public override uint Oid(PgType type) => 1700;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new NumericSlots(capacity, type.Precision, type.Scale);

    /// <summary>Without trailing zeros (trim_scale from PostgreSQL 13 on).</summary>
    public override string CanonicalSql(string x, string typeName, bool hasTrimScale) => hasTrimScale
        ? $"trim_scale({x})::text"
        : $"(CASE WHEN strpos({x}::text, '.') > 0 THEN rtrim(rtrim({x}::text, '0'), '.') ELSE {x}::text END)";

    public override bool ElementNeedsCanonicalSql(string typeName) => true;

    public override bool PlainText => true;
}

/// <summary>numeric(p,s): decimals, or the exact digits of values beyond decimal; precision checked before sending.</summary>
internal sealed class NumericSlots : ColumnSlots
{
    readonly int? _precision;
    readonly int? _scale;
    readonly decimal? _limit;
    readonly int? _integerDigits;

    public NumericSlots(int capacity, int? precision, int? scale) : base(capacity)
    {
        Values = new decimal[capacity];
        Wide = new WideNumeric?[capacity];
        if (precision is { } p)
        {
            _precision = p;
            _scale = scale ?? 0;
            // Negative when the scale exceeds the precision (numeric(3,5) holds values below 10^-2).
            _integerDigits = p - _scale.Value;
            if (_integerDigits is >= -28 and <= 28)
                _limit = NumericRounding.Pow10(_integerDigits.Value);
        }
    }

    public decimal[] Values { get; }

    /// <summary>Values beyond decimal's 28 digits (HUGEINT, DECIMAL(38,s)), written digit group by digit group.</summary>
    public WideNumeric?[] Wide { get; }

    /// <summary>Why numeric(p,s) cannot hold the value (PostgreSQL rounds to the scale, then checks the integer digits).</summary>
    public string? Check(decimal value)
    {
        if (_limit is not { } limit)
            return null;
        return NumericRounding.Overflows(value, _scale ?? 0, limit) ? Overflow() : null;
    }

    /// <summary>The integer digits alone; a fraction rounding up into one more digit is left to PostgreSQL (the batch split isolates it).</summary>
    public string? Check(WideNumeric value) => _integerDigits is { } digits and >= 0 && value.IntegerDigits > digits ? Overflow() : null;

    /// <summary>PostgreSQL's own words for it.</summary>
    string Overflow() => string.Create(CultureInfo.InvariantCulture, $"numeric field overflow: a field with precision {_precision}, scale {_scale} must round to an absolute value less than 10^{_integerDigits}");

    protected override void WriteValue(BinaryCopyWriter writer, int row)
    {
        if (Wide[row] is { } wide)
            writer.WriteNumeric(wide);
        else
            writer.WriteNumeric(Values[row]);
    }

    protected override string RenderValue(int row) =>
        Wide[row] is { } wide ? wide.Text : Values[row].ToString(CultureInfo.InvariantCulture);

    public override void Reset() => Array.Clear(Wide);
}
