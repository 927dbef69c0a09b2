using System.Text.Json;

namespace Ferry.Reports.Metrics;

/// <summary>A verification's figures (<c>ferry verify</c>'s document, or <c>verify</c> in a copy's): tables by status, and per table.</summary>
internal static class VerifyMetrics
{
    /// <summary>The statuses a table can have; each is written, 0 when no table has it, so an alert can watch it.</summary>
    static readonly string[] Statuses = ["ok", "different", "missing", "integrity"];

    public static void Write(Exposition text, JsonElement document)
    {
        var tables = document.Array("tables").Where(t => t.Text("target") is not null).ToList();
        static Label[] Table(JsonElement t) => [new("table", t.Text("target")!)];
        if (document.Length("tables") is not null)
        {
            var counts = tables.Where(t => t.Text("status") is not null).CountBy(t => t.Text("status")!, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
            var statuses = Statuses.Concat(counts.Keys.Except(Statuses, StringComparer.Ordinal).Order(StringComparer.Ordinal));
            text.Gauge(
                "ferry_verify_tables",
                "Tables verified, by status: ok, different (rows or counts differ, a column is missing), missing (no such table in the target), integrity (orphans or duplicate keys).",
                statuses.Select(s => new Sample(counts.GetValueOrDefault(s), new Label("status", s))));
        }

        text.Gauge("ferry_verify_table_ok", "1 if the table is identical on both sides and has no integrity problems, else 0.", tables.Samples(t => t.Flag("ok") is { } ok ? (ok ? 1 : 0) : null, Table));
        text.Gauge("ferry_verify_table_differing_rows", "Rows that differ between source and target (at least this many when the listing was cut short).", tables.Samples(t => t.Number("differences_total"), Table));
        text.Gauge("ferry_verify_table_source_rows", "Rows of the table in the source.", tables.Samples(t => t.Number("source_rows"), Table));
        text.Gauge("ferry_verify_table_target_rows", "Rows of the table in the target (absent when the table is missing there).", tables.Samples(t => t.Number("target_rows"), Table));
        if (document.Number("seconds") is { } seconds)
            text.Gauge("ferry_verify_seconds", "Seconds the verification took.", seconds);
    }
}
