using System.Globalization;
using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Schema;

namespace Ferry.Types.Text;

/// <summary>text, varchar(n), char(n), json, jsonb: UTF-8 (jsonb after its version byte), lengths and NULs checked before sending.</summary>
internal sealed class TextTypes : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Text, PgTypeKind.Varchar, PgTypeKind.Char, PgTypeKind.Json, PgTypeKind.Jsonb];

    public override IReadOnlyList<string> CatalogNames => ["text", "varchar", "bpchar", "json", "jsonb"];

    public override string ToSql(PgType type) => type.Kind switch
    {
        PgTypeKind.Varchar => "varchar" + Modifier(type.Length),
        PgTypeKind.Char => "char" + Modifier(type.Length),
        PgTypeKind.Json => "json",
        PgTypeKind.Jsonb => "jsonb",
        _ => "text",
    };

    public override string CatalogName(PgType type) => type.Kind switch
    {
        PgTypeKind.Varchar => "varchar",
        PgTypeKind.Char => "bpchar",
        PgTypeKind.Json => "json",
        PgTypeKind.Jsonb => "jsonb",
        _ => "text",
    };

    public override uint Oid(PgType type) => type.Kind switch
    {
        PgTypeKind.Varchar => 1043,
        PgTypeKind.Char => 1042,
        PgTypeKind.Json => 114,
        PgTypeKind.Jsonb => 3802,
        _ => 25,
    };

    public override ColumnSlots CreateSlots(PgType type, int capacity) => type.Kind switch
    {
        PgTypeKind.Varchar => new TextSlots(capacity, type.Length, false, false),
        PgTypeKind.Char => new TextSlots(capacity, type.Length, true, false),
        PgTypeKind.Jsonb => new TextSlots(capacity, null, false, true),
        _ => new TextSlots(capacity, null, false, false),
    };

    /// <summary>char(n) in an array prints its padding.</summary>
    public override bool ElementNeedsCanonicalSql(string typeName) => typeName == "bpchar";

    public override bool HashesLongValuesApart(string typeName) => typeName != "jsonb";
}

/// <summary>text, varchar(n), char(n), json, jsonb: the string, checked for what PostgreSQL would refuse.</summary>
internal sealed class TextSlots(int capacity, int? maxLength, bool blankPadded, bool jsonb) : ColumnSlots(capacity), IDisposable
{
    /// <summary>Values given as strings; null where the row's value is in <see cref="_utf8"/>.</summary>
    readonly string?[] _strings = new string?[capacity];

    /// <summary>Values given as UTF-8 bytes (a null <see cref="_strings"/> entry on a non-null row).</summary>
    readonly ByteArena _utf8 = new(capacity);

    public void Set(int row, string value)
    {
        _strings[row] = value;
        _utf8.Forget(row);
    }

    /// <summary>Stores valid UTF-8 as it is: no string is made, the bytes go to COPY unchanged.</summary>
    public void SetUtf8(int row, ReadOnlySpan<byte> value)
    {
        _strings[row] = null;
        _utf8.Set(row, value);
    }

    /// <summary>Why PostgreSQL would refuse the value, or null.</summary>
    public string? Check(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
            return NulProblem;
        if (maxLength is { } n && value.Length > n)
        {
            // PostgreSQL counts characters (code points) and accepts excess trailing spaces.
            var kept = value.TrimEnd(' ');
            var length = kept.Length;
            foreach (var c in kept)
            {
                if (char.IsLowSurrogate(c))
                    length--;
            }

            if (length > n)
                return TooLong(n, length);
        }

        return null;
    }

    /// <summary><see cref="Check(string)"/> for valid UTF-8.</summary>
    public string? Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Contains((byte)0))
            return NulProblem;
        if (maxLength is { } n && utf8.Length > n)
        {
            // As for a string: characters (code points) count, excess trailing spaces do not.
            var length = Utf8Characters.Count(utf8.TrimEnd((byte)' '));
            if (length > n)
                return TooLong(n, length);
        }

        return null;
    }

    const string NulProblem = "text contains a NUL character (0x00), which PostgreSQL cannot store in text";

    string TooLong(int n, int length) =>
        string.Create(CultureInfo.InvariantCulture, $"value too long for {(blankPadded ? "char" : "varchar")}({n}): {length} characters");

    string Text(int row) => _strings[row] ?? System.Text.Encoding.UTF8.GetString(_utf8.Get(row));

    protected override void WriteValue(BinaryCopyWriter writer, int row)
    {
        if (_strings[row] is { } text)
            writer.WriteText(text, jsonb);
        else
            writer.WriteUtf8(_utf8.Get(row), jsonb);
    }

    protected override string RenderValue(int row) => Text(row);

    public override void TruncateFrom(int row)
    {
        if (!Nulls[row])
            _utf8.TruncateFrom(row);
    }

    public override void Reset()
    {
        Array.Clear(_strings);
        _utf8.Reset();
    }

    public void Dispose() => _utf8.Dispose();
}
