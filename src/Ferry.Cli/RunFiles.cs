using Ferry.Journal;
using Ferry.Reports;

namespace Ferry.Cli;

/// <summary>The files a journaled run writes when it ends, as asked: <c>--report FILE</c>, <c>--metrics FILE</c> (paths resolved).</summary>
internal sealed record RunFiles(string? Report, string? Metrics)
{
    public bool Any => Report is not null || Metrics is not null;

    /// <summary>Writes them; a file that cannot be written is warned about, and the run's outcome stands.</summary>
    public async Task WriteAsync(Invocation invocation, RunRecord record)
    {
        if (Report is not null)
        {
            try
            {
                HtmlReport.WriteFile(record, Report);
            }
            catch (FerryException e)
            {
                invocation.Warn($"--report {Report} was not written: {e.Message}");
            }
        }

        if (Metrics is not null)
        {
            try
            {
                await MetricsFile.WriteAsync(record, Metrics);
            }
            catch (Exception e) when (e is FerryException or IOException or UnauthorizedAccessException)
            {
                invocation.Warn($"--metrics {Metrics} was not written: {e.Message}");
            }
        }
    }
}
