namespace Ferry.Internal;

/// <summary>Takes a resource (a connection, a lock) while other start-up work runs.</summary>
internal static class Meanwhile
{
    /// <summary>
    /// Starts <paramref name="acquire"/>, runs <paramref name="work"/>, then returns both results. When the work
    /// fails its error is the one thrown: the acquisition is cancelled, what it got disposed, and its own failure
    /// (a cancellation, a connection error) ignored.
    /// </summary>
    public static async Task<(T Result, TResource Resource)> AcquireAsync<T, TResource>(
        Func<CancellationToken, Task<TResource>> acquire, Func<Task<T>> work, CancellationToken cancellationToken)
        where TResource : IAsyncDisposable
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var acquiring = acquire(abandon.Token);
        T result;
        try
        {
            result = await work();
        }
        catch
        {
            await abandon.CancelAsync();
            try
            {
                await (await acquiring).DisposeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever ended the abandoned acquisition, the work's error is the one to report.
            }

            throw;
        }

        return (result, await acquiring);
    }
}
