using System.Globalization;
using System.Text;
using System.Text.Json;
using Ferry.Journal;
using Ferry.Reports;

namespace Ferry.Tests.Reports;

/// <summary>Run records around documents, and reports of them, for the report tests.</summary>
internal static class ReportRuns
{
    public static readonly DateTimeOffset Started = new(2026, 12, 7, 3, 40, 0, TimeSpan.Zero);

    public static RunRecord Run(string kind, string? document, RunOutcome outcome = RunOutcome.Ok, int exitCode = 0, string? command = null) =>
        Run(kind, document is null ? null : JsonDocument.Parse(document).RootElement.Clone(), outcome, exitCode, command);

    public static RunRecord Run(string kind, JsonElement? document, RunOutcome outcome = RunOutcome.Ok, int exitCode = 0, string? command = null) => new(
        42,
        kind,
        command ?? $"ferry {kind} --json",
        "0.1.0",
        "staging",
        "postgres://app@db.internal:5432/shop",
        "build-7",
        "alice",
        Started,
        Started.AddSeconds(75.5),
        outcome,
        exitCode,
        document,
        "copied with problems");

    public static string Html(RunRecord run)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        HtmlReport.Write(run, writer);
        return writer.ToString();
    }

    /// <summary>
    /// A copy --verify of <paramref name="tables"/> tables (<c>public.t00001</c>, … the last the largest), each with
    /// a mapping row, and its verification with the last table different.
    /// </summary>
    public static string LargeCopy(int tables)
    {
        var json = new StringBuilder(tables * 700);
        var copied = new StringBuilder();
        var verified = new StringBuilder();
        var mapping = new StringBuilder();
        for (var i = 1; i <= tables; i++)
        {
            var name = Name(i);
            var separator = i == 1 ? "" : ",";
            var ok = i < tables ? "true" : "false";
            copied.Append(CultureInfo.InvariantCulture,
                $"{separator}{{\"source\":\"t{i:00000}\",\"target\":\"{name}\",\"rows_read\":{i * 10},\"rows_written\":{i * 10},\"rows_rejected\":0,\"seconds\":{i / 1000.0},\"rows_repaired\":0,\"resumed\":false}}");
            verified.Append(CultureInfo.InvariantCulture,
                $"{separator}{{\"source\":\"t{i:00000}\",\"target\":\"{name}\",\"source_rows\":{i * 10},\"target_rows\":{i * 10},\"ok\":{ok},\"status\":\"{(i < tables ? "ok" : "different")}\",\"compared\":\"content\",\"key\":[\"id\"],\"differences\":[{(i < tables ? "" : "{\"key\":{\"id\":7},\"kind\":\"changed\"}")}],\"differences_total\":{(i < tables ? 0 : 1)},\"truncated\":false,\"source_rejected\":0,\"problems\":[],\"integrity\":[]}}");
            mapping.Append(CultureInfo.InvariantCulture,
                $"{separator}{{\"table\":\"{name}\",\"column\":\"id\",\"source_type\":\"INTEGER\",\"target_type\":\"bigint\",\"rule\":\"integer\",\"notes\":\"\"}}");
        }

        json.Append("{\"ok\":false,\"source\":\"sqlite:/data/big.db\",\"target\":\"postgres://app@db/big\",\"seconds\":123.4,\"rejects_dir\":\"ferry-rejects\",\"tables\":[")
            .Append(copied).Append("],\"warnings\":[],\"failures\":[],\"orphans\":[],\"mapping\":[").Append(mapping)
            .Append("],\"phases\":[{\"phase\":\"discover\",\"started\":0,\"seconds\":2},{\"phase\":\"load\",\"started\":2,\"seconds\":100}]")
            .Append(",\"verify\":{\"ok\":false,\"source\":\"sqlite:/data/big.db\",\"target\":\"postgres://app@db/big\",\"seconds\":50,\"tables\":[")
            .Append(verified).Append("]}}");
        return json.ToString();
    }

    public static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"public.t{i:00000}");
}
