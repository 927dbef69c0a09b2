using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ferry.Journal;
using Ferry.Reports;

namespace Ferry.Bench;

/// <summary>
/// The HTML report of a generated copy --verify over many tables (a reject reason and ten mapping rows per table, a
/// phase timeline, a few differing tables): rendered several times, timed, and written to a file.
/// </summary>
internal static class ReportBench
{
    /// <summary>Columns per table in the type mapping.</summary>
    const int MappedColumns = 10;

    public static int Run(int tables, string path, int rounds = 7)
    {
        var run = LargeCopy(tables);
        var times = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
                HtmlReport.Write(run, writer);
            if (round > 0)
                times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var bytes = new FileInfo(path).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render_ms_median={times[times.Count / 2]:0.0} render_ms_min={times[0]:0.0} bytes={bytes} tables={tables} rounds={rounds}"));
        return 0;
    }

    static RunRecord LargeCopy(int tables)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", false);
            json.WriteString("source", "postgres://app@legacy/shop");
            json.WriteString("target", "postgres://app@new/shop");
            json.WriteNumber("seconds", 3600.5);
            json.WriteString("rejects_dir", "ferry-rejects");
            json.WriteStartArray("tables");
            for (var i = 0; i < tables; i++)
            {
                json.WriteStartObject();
                json.WriteString("source", Name(i));
                json.WriteString("target", Name(i));
                json.WriteNumber("rows_read", (long)i * 997 % 1_000_003);
                json.WriteNumber("rows_written", (long)i * 997 % 1_000_003 - i % 3);
                json.WriteNumber("rows_rejected", i % 3);
                json.WriteNumber("seconds", i % 1000 / 100.0);
                json.WriteStartArray("rejects");
                if (i % 3 > 0)
                {
                    json.WriteStartObject();
                    json.WriteString("column", "amount");
                    json.WriteString("reason", "does not fit numeric(6,2)");
                    json.WriteNumber("rows", i % 3);
                    json.WriteStartArray("samples");
                    json.WriteStartObject();
                    json.WriteStartObject("key");
                    json.WriteNumber("id", i);
                    json.WriteEndObject();
                    json.WriteString("value", "123456.78");
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("phases");
            foreach (var (phase, started, seconds) in new[] { ("discover", 0.0, 40.0), ("create", 40.0, 60.0), ("load", 100.0, 3000.0), ("keys", 3100.0, 300.0), ("analyze", 3400.0, 200.0) })
            {
                json.WriteStartObject();
                json.WriteString("phase", phase);
                json.WriteNumber("started", started);
                json.WriteNumber("seconds", seconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("mapping");
            for (var i = 0; i < tables * MappedColumns; i++)
            {
                json.WriteStartObject();
                json.WriteString("table", Name(i / MappedColumns));
                json.WriteString("column", i % MappedColumns == 0 ? "amount" : string.Create(CultureInfo.InvariantCulture, $"column_{i % MappedColumns}"));
                json.WriteString("source_type", "numeric(12,2)");
                json.WriteString("target_type", "numeric(6,2)");
                json.WriteString("rule", "--cast");
                json.WriteString("notes", "");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("verify");
            json.WriteBoolean("ok", false);
            json.WriteNumber("seconds", 1800.25);
            json.WriteStartArray("tables");
            for (var i = 0; i < tables; i++)
            {
                var different = i % 500 == 499;
                json.WriteStartObject();
                json.WriteString("source", Name(i));
                json.WriteString("target", Name(i));
                json.WriteNumber("source_rows", i * 10);
                json.WriteNumber("target_rows", i * 10);
                json.WriteBoolean("ok", !different);
                json.WriteString("status", different ? "different" : "ok");
                json.WriteString("compared", "content");
                json.WriteStartArray("differences");
                for (var d = 0; different && d < 25; d++)
                {
                    json.WriteStartObject();
                    json.WriteStartObject("key");
                    json.WriteNumber("id", d);
                    json.WriteEndObject();
                    json.WriteString("kind", "changed");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteNumber("differences_total", different ? 25 : 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var document = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
        var start = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        return new RunRecord(1, "copy", "ferry copy postgres://app@legacy/shop --verify", "0.1.0", "bench", "postgres://app@new/shop",
            "bench", "ferry", start, start.AddSeconds(3600.5), RunOutcome.Problems, 1, document, null);
    }

    static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"sales.orders_{i:00000}");
}
