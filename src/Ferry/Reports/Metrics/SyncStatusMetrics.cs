using Ferry.Sync;

namespace Ferry.Reports.Metrics;

/// <summary>
/// <c>ferry sync status --metrics</c>: per synced table (labels <c>table</c>, <c>source</c>) its lag, rows behind, last success
/// and whether its last run failed; and the status as a whole, 1 when <c>ferry sync status</c> exits 0.
/// </summary>
internal static class SyncStatusMetrics
{
    public static string Render(SyncStatusReport report)
    {
        var text = new Exposition();
        static Label[] Labels(TableSyncStatus t) => [new("table", t.Table), new("source", t.Source)];
        var tables = report.Tables;
        text.Gauge("ferry_sync_lag_seconds", "How far behind the table is: now less the newest change synced (the seconds since the last success when that is unknown or the source has nothing newer).",
            tables.Where(t => t.LagSeconds is not null).Select(t => new Sample(Math.Round(t.LagSeconds!.Value, 3), Labels(t))));
        text.Gauge("ferry_sync_since_success_seconds", "Seconds since the table's last successful sync.",
            tables.Where(t => t.SinceSuccessSeconds is not null).Select(t => new Sample(Math.Round(t.SinceSuccessSeconds!.Value, 3), Labels(t))));
        text.Gauge("ferry_sync_rows_behind", "Source rows above the table's watermark (counted when ferry sync status is given the source).",
            tables.Where(t => t.RowsBehind is not null).Select(t => new Sample(t.RowsBehind!.Value, Labels(t))));
        text.Gauge("ferry_sync_last_success_timestamp", "When the table last synced successfully, in seconds since the Unix epoch.",
            tables.Where(t => t.LastSuccess is not null).Select(t => new Sample(t.LastSuccess!.Value.ToUnixTimeMilliseconds() / 1000.0, Labels(t))));
        text.Gauge("ferry_sync_deletes_pending", "Target rows whose key the source no longer has, left by --deletes ignore at the last success.",
            tables.Where(t => t.DeletesPending is not null).Select(t => new Sample(t.DeletesPending!.Value, Labels(t))));
        text.Gauge("ferry_sync_failed", "1 if the table's last sync run failed (its error in ferry sync status), else 0.",
            tables.Select(t => new Sample(t.Failed ? 1 : 0, Labels(t))));
        if (report.MaxLag is { } maxLag)
            text.Gauge("ferry_sync_max_lag_seconds", "The lag ferry sync status --max-lag allows.", maxLag.TotalSeconds);
        text.Gauge("ferry_sync_status_ok", "1 if no table's last run failed and none is behind by more than --max-lag (ferry sync status exits 0), else 0.", report.Ok ? 1 : 0);
        return text.ToString();
    }
}
