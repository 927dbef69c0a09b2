using Ferry.Copy;

namespace Ferry.Sync;

/// <summary>
/// What <c>ferry sync</c> does: the copy it starts from (source, target, tables, names, schema, casts, transforms, filters:
/// a table's first run is that copy, and later runs read the source as it does), the watermark column of each table, the
/// overlap, and what deletes and schema changes do.
/// </summary>
public sealed record SyncOptions
{
    /// <summary>The copy of a table's first run, whose options every later run reads the source and names the target with.</summary>
    public required CopyOptions Copy { get; init; }

    /// <summary>The watermark column of every table not in <see cref="TableWatermarks"/> (<c>--watermark COLUMN</c>); null when each is named.</summary>
    public string? Watermark { get; init; }

    /// <summary>Source table (as <c>--tables</c> names it) → its watermark column (<c>--watermark table=COLUMN</c>).</summary>
    public IReadOnlyDictionary<string, string> TableWatermarks { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// How far below the last watermark a date or timestamp watermark reads again (<c>--overlap</c>): rows whose column
    /// was set before their transaction committed. Integer watermarks read above the last value.
    /// </summary>
    public TimeSpan Overlap { get; init; } = DefaultOverlap;

    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Every table synced by diff (<c>--by-diff</c>): bucket fingerprints of both sides compared, the differing keys' rows
    /// applied. A table without a watermark column is synced so anyway.
    /// </summary>
    public bool ByDiff { get; init; }

    public SyncDeletes Deletes { get; init; } = SyncDeletes.Ignore;

    public SchemaChangeRule OnSchemaChange { get; init; } = SchemaChangeRule.Add;

    /// <summary>
    /// Called with the target tables this run will change in place (qualified names; not those a first run creates),
    /// before any is changed: the command line snapshots them there under <c>--backup</c>.
    /// </summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task>? BeforeChanges { get; init; }

    /// <summary>
    /// Parses <c>--watermark</c> values: one bare <c>COLUMN</c> (every table) and any number of <c>table=COLUMN</c>.
    /// </summary>
    public static (string? All, IReadOnlyDictionary<string, string> Tables) ParseWatermarks(IEnumerable<string> values)
    {
        string? all = null;
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (value.Trim().Length == 0)
                    throw new FerryException("--watermark: name a column, e.g. --watermark updated_at or --watermark orders=changed_at.", FailureKind.Configuration);
                if (all is not null)
                    throw new FerryException($"--watermark '{all}' and '{value}': one column for every table; name the others as table=COLUMN.", FailureKind.Configuration);
                all = value.Trim();
                continue;
            }

            var table = value[..eq].Trim();
            var column = value[(eq + 1)..].Trim();
            if (table.Length == 0 || column.Length == 0)
                throw new FerryException($"--watermark '{value}': write it as table=COLUMN, e.g. --watermark orders=changed_at.", FailureKind.Configuration);
            if (!tables.TryAdd(table, column))
                throw new FerryException($"--watermark: table '{table}' has two watermark columns.", FailureKind.Configuration);
        }

        return (all, tables);
    }

    /// <summary>Parses <c>--overlap</c>: <c>5m</c>, <c>30s</c>, <c>1h</c>, <c>0</c>.</summary>
    public static TimeSpan ParseOverlap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed == "0")
            return TimeSpan.Zero;
        var unit = trimmed.Length > 0 ? trimmed[^1] : ' ';
        var scale = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 };
        if (scale == 0 || !long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount))
            throw new FerryException($"--overlap '{text}': write a duration such as 5m, 30s, 1h or 0.", FailureKind.Configuration);
        return TimeSpan.FromSeconds(amount * scale);
    }
}
