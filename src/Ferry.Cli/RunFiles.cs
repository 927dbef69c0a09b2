using Ferry.Journal;
using Ferry.Reports;

namespace Ferry.Cli;

/// <summary>The files a journaled run writes when it ends, as asked: <c>--metrics FILE</c> (paths resolved).</summary>
internal sealed record RunFiles(string? Metrics)
{
    /// <summary>Writes them; a file that cannot be written is warned about, and the run's outcome stands.</summary>
    public async Task WriteAsync(Invocation invocation, RunRecord record)
    {
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
