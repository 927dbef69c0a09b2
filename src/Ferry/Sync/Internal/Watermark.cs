using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sync.Internal;

/// <summary>How a watermark column's values compare: as whole numbers (read above the last), or as dates and times (read above the last less the overlap).</summary>
internal enum WatermarkKind
{
    Integer,
    Time,
}

/// <summary>A table's watermark column, as the source names it, and how its values compare.</summary>
internal sealed record Watermark(PlannedColumn Column, WatermarkKind Kind)
{
    static readonly HashSet<string> Integers = new(StringComparer.OrdinalIgnoreCase) { "smallint", "integer", "bigint", "int2", "int4", "int8" };

    /// <summary>
    /// The column <paramref name="name"/> of <paramref name="table"/> (its source name, else its target name), refused
    /// naming the table's columns when it has none, and naming its type when it is not a whole number, a date or a timestamp.
    /// </summary>
    public static Watermark Of(PlannedTable table, string name)
    {
        var column = table.Copied.FirstOrDefault(c => c.SourceName == name)
            ?? table.Copied.FirstOrDefault(c => c.TargetName == name)
            ?? (table.Copied.Where(c => string.Equals(c.SourceName, name, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null)
            ?? throw new FerryException(
                $"--watermark {name}: table {table.Source.QualifiedSourceName} has no column '{name}' (its columns: {string.Join(", ", table.Copied.Select(c => c.SourceName))}). " +
                $"Name its column with --watermark {table.Source.SourceName}=COLUMN.", FailureKind.Configuration);
        var type = column.Type.ToSql();
        if (Integers.Contains(type))
            return new Watermark(column, WatermarkKind.Integer);
        if (type is "date" || type.StartsWith("timestamp", StringComparison.OrdinalIgnoreCase))
            return new Watermark(column, WatermarkKind.Time);
        throw new FerryException(
            $"--watermark {name}: column {column.SourceName} of {table.Source.QualifiedSourceName} is {type}; a watermark is a whole-number, date or timestamp column that grows with each change.",
            FailureKind.Configuration);
    }

    /// <summary>
    /// The text a SQLite value of a date or timestamp watermark reads from, <paramref name="overlap"/> earlier, written as the
    /// value is (<c>2026-12-07 09:00:00.5</c> → <c>2026-12-07 08:55:00.5</c>; a date alone → the day it falls in): SQLite
    /// compares the stored texts, so the bound keeps their form and the column's index still serves. Null when the value is
    /// not ISO 8601 text.
    /// </summary>
    public static string? SqliteTextMinus(string value, TimeSpan overlap)
    {
        if (value.Length < 10 || !DateTime.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return null;
        if (value.Length == 10)
            return (date - overlap).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var separator = value[10];
        if (separator is not (' ' or 'T') || value.Length < 16 || !TimeSpan.TryParseExact(value.AsSpan(11, 5), @"hh\:mm", CultureInfo.InvariantCulture, out var time))
            return null;
        var timeLength = 5;
        if (value.Length >= 19 && value[16] == ':' && int.TryParse(value.AsSpan(17, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 60)
        {
            time += TimeSpan.FromSeconds(seconds);
            timeLength = 8;
        }

        var bound = date + time - overlap;
        return bound.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + separator +
            bound.ToString(timeLength == 5 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture) + value[(11 + timeLength)..];
    }

    /// <summary>The newest change a date or timestamp watermark stands for (UTC when its text has no zone); null for whole numbers and unreadable text.</summary>
    public DateTimeOffset? NewestChange(string? value)
    {
        if (Kind != WatermarkKind.Time || value is null)
            return null;
        // PostgreSQL writes a whole-hour offset as +00 or -05, which .NET reads only as +00:00.
        var text = value.Length > 3 && value[^3] is '+' or '-' && char.IsAsciiDigit(value[^2]) && char.IsAsciiDigit(value[^1]) && value.Length > 10 ? value + ":00" : value;
        return DateTimeOffset.TryParse(text.Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
    }
}
