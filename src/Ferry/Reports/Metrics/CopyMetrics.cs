using System.Text.Json;

namespace Ferry.Reports.Metrics;

/// <summary>A copy's figures (its <c>--json</c> document): per table (label <c>table</c>, the target table) and in all.</summary>
internal static class CopyMetrics
{
    public static void Write(Exposition text, JsonElement document)
    {
        var tables = document.Array("tables").Where(t => t.Text("target") is not null).ToList();
        static Label[] Table(JsonElement t) => [new("table", t.Text("target")!)];
        text.Gauge("ferry_copy_table_rows_read", "Rows the copy read from the source, per table.", tables.Samples(t => t.Number("rows_read"), Table));
        text.Gauge("ferry_copy_table_rows_written", "Rows the copy wrote into the target, per table.", tables.Samples(t => t.Number("rows_written"), Table));
        text.Gauge("ferry_copy_table_rows_rejected", "Rows the copy rejected (logged in the rejects file), per table.", tables.Samples(t => t.Number("rows_rejected"), Table));
        text.Gauge("ferry_copy_table_rows_repaired", "Rows whose values were repaired to fit (logged), per table.", tables.Samples(t => t.Number("rows_repaired"), Table));
        text.Gauge("ferry_copy_table_rows_filtered", "Rows a filter (--where, a transform's where) left in the source, per table.", tables.Samples(t => t.Number("rows_filtered"), Table));
        text.Gauge("ferry_copy_table_seconds", "Seconds the table took to load.", tables.Samples(t => t.Number("seconds"), Table));
        if (document.Length("tables") is null)
            return;
        text.Gauge("ferry_copy_tables", "Tables the copy loaded (or kept from an earlier run, with --resume).", tables.Count);
        text.Gauge("ferry_copy_rows_read", "Rows the copy read from the source, all tables.", tables.Sum(t => t.Number("rows_read") ?? 0));
        text.Gauge("ferry_copy_rows_written", "Rows the copy wrote into the target, all tables.", tables.Sum(t => t.Number("rows_written") ?? 0));
        text.Gauge("ferry_copy_rows_rejected", "Rows the copy rejected, all tables.", tables.Sum(t => t.Number("rows_rejected") ?? 0));
        text.Gauge("ferry_copy_rows_repaired", "Rows whose values were repaired to fit, all tables.", tables.Sum(t => t.Number("rows_repaired") ?? 0));
        text.Gauge("ferry_copy_rows_filtered", "Rows filters left in the source, all tables (rows read = written + rejected + filtered).", tables.Sum(t => t.Number("rows_filtered") ?? 0));
        if (document.Number("seconds") is { } seconds)
            text.Gauge("ferry_copy_seconds", "Seconds the copy took, from discovery to its last step.", seconds);
        text.Gauge(
            "ferry_copy_phase_seconds",
            "Seconds each step of the copy took (discover and plan, create, load, keys and indexes, ...).",
            document.Array("phases").Where(p => p.Text("phase") is not null).Samples(p => p.Number("seconds"), p => [new("phase", p.Text("phase")!)]));
        text.Gauge("ferry_copy_orphan_rows", "Rows whose foreign key has no parent (their constraints are left NOT VALID).", document.Array("orphans").Sum(o => o.Number("rows") ?? 0));
        if (document.Length("failures") is { } failures)
            text.Gauge("ferry_copy_failures", "Failures besides rejected rows and orphans (a key that could not be built, ...).", failures);
        if (document.Length("warnings") is { } warnings)
            text.Gauge("ferry_copy_warnings", "Warnings the copy gave (a view that did not translate, an index that failed, ...).", warnings);
    }
}
