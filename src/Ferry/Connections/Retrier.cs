using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// Runs work against the target again when it loses its connection (<see cref="ConnectionLoss"/>), as a
/// <see cref="RetryPolicy"/> says, each retry logged as a warning; then gives up with a <see cref="TargetLostException"/>.
/// The work is told which retry it is (0 the first time): work that may have taken effect before the loss
/// checks that first. Anything else the work throws goes through at once.
/// </summary>
internal sealed class Retrier(RetryPolicy policy, ILogger logger, NpgsqlDataSource? dataSource = null)
{
    public async Task<T> RunAsync<T>(string doing, Func<int, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await work(retry, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && ConnectionLoss.Describe(e) is { } reason)
            {
                var delay = Before(doing, reason, retry + 1, waited, e);
                waited += delay;
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    public Task RunAsync(string doing, Func<int, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(doing, async (retry, ct) =>
        {
            await work(retry, ct);
            return true;
        }, cancellationToken);

    /// <summary>As <see cref="RunAsync{T}"/>, for work on a thread of its own (the load's jobs).</summary>
    public T Run<T>(string doing, Func<int, T> work, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var retry = 0; ; retry++)
        {
            try
            {
                return work(retry);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && ConnectionLoss.Describe(e) is { } reason)
            {
                var delay = Before(doing, reason, retry + 1, waited, e);
                waited += delay;
                if (cancellationToken.WaitHandle.WaitOne(delay))
                    cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The wait before retry <paramref name="retry"/>, logged; a <see cref="TargetLostException"/> when none is left.</summary>
    TimeSpan Before(string doing, string reason, int retry, TimeSpan waited, Exception failure)
    {
        dataSource?.Clear(); // Idle pooled connections went with the server: open new ones.
        if (retry > policy.Retries)
            throw new TargetLostException(doing, reason, policy.Retries, waited, inner: failure);
        var delay = policy.DelayBefore(retry);
        logger.LogWarning("lost the connection to PostgreSQL while {Doing}: {Reason}; retry {Retry} of {Retries} in {Delay} s", doing, reason, retry, policy.Retries, delay.TotalSeconds);
        return delay;
    }
}
