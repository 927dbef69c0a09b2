using System.Globalization;
using System.Text;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>
/// Renders DuckDB values as text: plain text for text targets and catalog queries, and JSON for STRUCT, MAP,
/// UNION, nested LISTs and JSON columns. Numbers are exact (HUGEINT and DECIMAL digits as stored, doubles in
/// shortest round-trip form), strings escaped, temporal values in ISO-8601 with every stored digit.
/// </summary>
internal static class ValueText
{
    /// <summary>The value as text (nested values as JSON); with a <paramref name="budget"/>, refused once it outgrows it.</summary>
    public static string Render(VectorView v, DuckDbTypeInfo type, int row, TextBudget? budget = null)
    {
        if (type.IsNested)
            return Json(v, type, row, budget);
        var sb = new StringBuilder();
        WriteScalar(sb, v, type, row, json: false, budget);
        return sb.ToString();
    }

    /// <summary>The value as a JSON document; with a <paramref name="budget"/>, refused (<see cref="ValueException"/>) once it outgrows it.</summary>
    public static string Json(VectorView v, DuckDbTypeInfo type, int row, TextBudget? budget = null)
    {
        var sb = new StringBuilder();
        WriteJson(sb, v, type, row, budget);
        return sb.ToString();
    }

    public static void WriteJson(StringBuilder sb, VectorView v, DuckDbTypeInfo type, int row, TextBudget? budget = null)
    {
        if (!v.IsValid(row))
        {
            sb.Append("null");
            return;
        }

        switch (type.Id)
        {
            case DuckDbType.List or DuckDbType.Array:
            {
                var (offset, length) = v.Elements(row);
                sb.Append('[');
                for (var i = 0; i < length; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    WriteJson(sb, v.Children[0], type.Child!, offset + i, budget);
                    budget?.Text(sb);
                }

                sb.Append(']');
                return;
            }

            case DuckDbType.Map:
            {
                var (offset, length) = v.ListEntry(row);
                var entries = v.Children[0];
                sb.Append('{');
                for (var i = 0; i < length; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    var keyType = type.Fields[0].Type;
                    var key = entries.Children[0];
                    if (keyType.Id == DuckDbType.Varchar)
                        budget?.String(sb, key.Length(offset + i)); // Before the key is made: it may be larger than anything can hold.
                    WriteString(sb, keyType.Id == DuckDbType.Varchar ? Utf8(key, offset + i) : Render(key, keyType, offset + i, budget));
                    sb.Append(':');
                    WriteJson(sb, entries.Children[1], type.Fields[1].Type, offset + i, budget);
                    budget?.Text(sb);
                }

                sb.Append('}');
                return;
            }

            case DuckDbType.Struct:
                sb.Append('{');
                for (var i = 0; i < type.Fields.Length; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    WriteString(sb, type.Fields[i].Name);
                    sb.Append(':');
                    WriteJson(sb, v.Children[i], type.Fields[i].Type, row, budget);
                    budget?.Text(sb);
                }

                sb.Append('}');
                return;

            case DuckDbType.Union:
            {
                // The member that is set, as {"member": value}: the tag survives.
                var tag = v.Children[0].Get<byte>(row);
                sb.Append('{');
                WriteString(sb, type.Fields[tag].Name);
                sb.Append(':');
                WriteJson(sb, v.Children[tag + 1], type.Fields[tag].Type, row, budget);
                sb.Append('}');
                return;
            }

            default:
                WriteScalar(sb, v, type, row, json: true, budget);
                return;
        }
    }

    static unsafe void WriteScalar(StringBuilder sb, VectorView v, DuckDbTypeInfo type, int row, bool json, TextBudget? budget)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (type.Id)
        {
            case DuckDbType.Boolean:
                sb.Append(v.Get<byte>(row) != 0 ? "true" : "false");
                break;
            case DuckDbType.TinyInt:
                sb.Append(v.Get<sbyte>(row));
                break;
            case DuckDbType.SmallInt:
                sb.Append(v.Get<short>(row));
                break;
            case DuckDbType.Integer:
                sb.Append(v.Get<int>(row));
                break;
            case DuckDbType.BigInt:
                sb.Append(v.Get<long>(row));
                break;
            case DuckDbType.UTinyInt:
                sb.Append(v.Get<byte>(row));
                break;
            case DuckDbType.USmallInt:
                sb.Append(v.Get<ushort>(row));
                break;
            case DuckDbType.UInteger:
                sb.Append(v.Get<uint>(row));
                break;
            case DuckDbType.UBigInt:
                sb.Append(v.Get<ulong>(row));
                break;
            case DuckDbType.HugeInt:
                sb.Append(DuckDbValues.HugeInt(v.Data + (row * 16)).ToString(inv));
                break;
            case DuckDbType.UHugeInt:
                sb.Append(DuckDbValues.UHugeInt(v.Data + (row * 16)).ToString(inv));
                break;
            case DuckDbType.Decimal:
                sb.Append(DuckDbValues.DecimalText(DuckDbValues.DecimalUnscaled(v, type.Internal, row), type.Scale));
                break;
            case DuckDbType.Float:
                Number(sb, v.Get<float>(row), json);
                break;
            case DuckDbType.Double:
                Number(sb, v.Get<double>(row), json);
                break;
            case DuckDbType.Varchar when type.IsJson && json:
                // Already a JSON document: embedded as is (a VARIANT's NaN or infinity as a string, as doubles are here).
                budget?.Text(sb, v.Length(row));
                sb.Append(Ferry.Internal.JsonText.QuoteNonFinite(v.Bytes(row)) ?? Utf8(v, row));
                break;
            case DuckDbType.Varchar when type.IsNumberText:
                budget?.Text(sb, v.Length(row));
                sb.Append(Utf8(v, row)); // Exact digits: a JSON number, and the number itself as text.
                break;
            case DuckDbType.Varchar:
                budget?.String(sb, v.Length(row));
                Text(sb, Utf8(v, row), json);
                break;
            case DuckDbType.Blob:
                budget?.String(sb, 2 * v.Length(row));
                Text(sb, DuckDbValues.Hex(v.Bytes(row)), json);
                break;
            case DuckDbType.Bit:
                budget?.String(sb, 8 * v.Length(row));
                Text(sb, DuckDbValues.BitText(v.Bytes(row)), json);
                break;
            case DuckDbType.Enum:
                Text(sb, type.EnumLabels[DuckDbValues.EnumIndex(v, type.Internal, row)], json);
                break;
            case DuckDbType.Uuid:
                Text(sb, DuckDbValues.Uuid(v.Data + (row * 16)).ToString(), json);
                break;
            case DuckDbType.Date:
                Text(sb, DateText(v.Get<int>(row)), json);
                break;
            case DuckDbType.Time:
                Text(sb, TimeText(v.Get<long>(row) * 1000), json);
                break;
            case DuckDbType.TimeNs:
                Text(sb, TimeText(v.Get<long>(row)), json);
                break;
            case DuckDbType.TimeTz:
            {
                var (micros, offset) = DuckDbValues.TimeTzParts(v.Get<ulong>(row));
                Text(sb, TimeText(micros * 1000) + OffsetText(offset), json);
                break;
            }

            case DuckDbType.Timestamp:
                Text(sb, TimestampText(v.Get<long>(row), 1000, ""), json);
                break;
            case DuckDbType.TimestampS:
                Text(sb, TimestampText(v.Get<long>(row), 1_000_000_000, ""), json);
                break;
            case DuckDbType.TimestampMs:
                Text(sb, TimestampText(v.Get<long>(row), 1_000_000, ""), json);
                break;
            case DuckDbType.TimestampNs:
                Text(sb, TimestampText(v.Get<long>(row), 1, ""), json);
                break;
            case DuckDbType.TimestampTz:
                Text(sb, TimestampText(v.Get<long>(row), 1000, "+00:00"), json);
                break;
            case DuckDbType.Interval:
            {
                var interval = DuckDbValues.Interval(v.Data + (row * 16));
                Text(sb, string.Create(inv, $"{interval.Months} mons {interval.Days} days ") + TimeText(interval.Time * 1000, allowNegative: true), json);
                break;
            }

            case DuckDbType.SqlNull:
                sb.Append(json ? "null" : "");
                break;
            default:
                throw new ValueException($"DuckDB type {type.ToSql()} cannot be rendered as text");
        }
    }

    public static string Utf8(VectorView v, int row) => Encoding.UTF8.GetString(v.Bytes(row));

    static void Number(StringBuilder sb, double value, bool json)
    {
        if (double.IsFinite(value))
            sb.Append(value.ToString("R", CultureInfo.InvariantCulture));
        else
            Text(sb, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity", json);
    }

    static void Number(StringBuilder sb, float value, bool json)
    {
        if (float.IsFinite(value))
            sb.Append(value.ToString("R", CultureInfo.InvariantCulture));
        else
            Text(sb, float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity", json);
    }

    static void Text(StringBuilder sb, string text, bool json)
    {
        if (json)
            WriteString(sb, text);
        else
            sb.Append(text);
    }

    /// <summary>A JSON string literal; U+0000 is refused (PostgreSQL's jsonb cannot hold it).</summary>
    public static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\0':
                    throw new ValueException("the text holds the character U+0000, which PostgreSQL cannot store");
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    static string DateText(int days) => days switch
    {
        DuckDbValues.DateInfinity => "infinity",
        -DuckDbValues.DateInfinity => "-infinity",
        _ => CivilDate(days),
    };

    /// <summary>A proleptic Gregorian date of any year (DuckDB's range exceeds .NET's), ISO style; BC years as negative.</summary>
    static string CivilDate(long days)
    {
        // Howard Hinnant's days-to-civil algorithm.
        var z = days + 719_468;
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var doe = z - (era * 146_097);
        var yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        var doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        var mp = ((5 * doy) + 2) / 153;
        var day = doy - (((153 * mp) + 2) / 5) + 1;
        var month = mp < 10 ? mp + 3 : mp - 9;
        var year = yoe + (era * 400) + (month <= 2 ? 1 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{(year < 0 ? "-" : "")}{Math.Abs(year):0000}-{month:00}-{day:00}");
    }

    /// <summary>HH:MM:SS with the fraction's significant digits (up to nanoseconds).</summary>
    static string TimeText(long nanos, bool allowNegative = false)
    {
        var sign = "";
        if (nanos < 0 && allowNegative)
        {
            sign = "-";
            nanos = -nanos;
        }

        var seconds = Math.DivRem(nanos, 1_000_000_000, out var fraction);
        var text = string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
        return fraction == 0 ? text : text + "." + fraction.ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    static string OffsetText(int offsetSeconds)
    {
        var sign = offsetSeconds < 0 ? "-" : "+";
        var a = Math.Abs(offsetSeconds);
        var text = string.Create(CultureInfo.InvariantCulture, $"{sign}{a / 3600:00}:{a / 60 % 60:00}");
        return a % 60 == 0 ? text : text + string.Create(CultureInfo.InvariantCulture, $":{a % 60:00}");
    }

    /// <summary>ISO-8601 timestamp from a count of <paramref name="nanosPerUnit"/>-nanosecond units since 1970.</summary>
    static string TimestampText(long value, long nanosPerUnit, string zone)
    {
        if (value == DuckDbValues.TimestampInfinity)
            return "infinity";
        if (value == -DuckDbValues.TimestampInfinity)
            return "-infinity";
        var unitsPerSecond = 1_000_000_000 / nanosPerUnit;
        var seconds = Math.DivRem(value, unitsPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += unitsPerSecond;
        }

        var days = Math.DivRem(seconds, 86_400, out var secondOfDay);
        if (secondOfDay < 0)
        {
            days--;
            secondOfDay += 86_400;
        }

        var text = CivilDate(days) + string.Create(CultureInfo.InvariantCulture, $"T{secondOfDay / 3600:00}:{secondOfDay / 60 % 60:00}:{secondOfDay % 60:00}");
        if (rest != 0)
            text += "." + (rest * nanosPerUnit).ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + zone;
    }
}
