using System.Diagnostics;
using System.Globalization;
using Ferry.Connections;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Target;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>One table being loaded, possibly as several key ranges on several jobs.</summary>
internal sealed class TableLoad(PlannedTable table, RejectLog log, TableCopyResult result) : IDisposable
{
    readonly Stopwatch _clock = new();
    int _partsStarted;
    int _partsLeft;
    long _read;
    long _written;
    long _rejected;
    ProfileNeededException? _profileNeeded;

    public PlannedTable Table { get; } = table;

    public RejectLog Log { get; } = log;

    public TableCopyResult Result { get; } = result;

    public long Read => Interlocked.Read(ref _read);

    public long Written => Interlocked.Read(ref _written);

    public long Rejected => Interlocked.Read(ref _rejected);

    public void SetParts(int parts) => _partsLeft = parts;

    /// <summary>
    /// Why this load was given up (a reader's <see cref="ProfileNeededException"/>): the table is to be profiled
    /// and loaded again. Its other parts stop at their next batch; nothing marks it loaded.
    /// </summary>
    public ProfileNeededException? ProfileNeeded => Volatile.Read(ref _profileNeeded);

    public void GiveUp(ProfileNeededException reason) => Interlocked.CompareExchange(ref _profileNeeded, reason, null);

    /// <summary>True for the first part to start (it marks the table as loading).</summary>
    public bool StartPart()
    {
        if (Interlocked.Increment(ref _partsStarted) != 1)
            return false;
        _clock.Start();
        return true;
    }

    public void Add(long read, long written, long rejected)
    {
        Interlocked.Add(ref _read, read);
        Interlocked.Add(ref _written, written);
        Interlocked.Add(ref _rejected, rejected);
    }

    /// <summary>True for the last part to finish: the table is loaded.</summary>
    public bool FinishPart()
    {
        if (Interlocked.Decrement(ref _partsLeft) != 0)
            return false;
        _clock.Stop();
        Result.RowsRead = Read;
        Result.RowsWritten = Written;
        Result.RowsRejected = Rejected;
        Result.RowsRepaired = Log.Repaired;
        Result.Seconds = _clock.Elapsed.TotalSeconds;
        Result.RejectFile = Rejected > 0 ? Log.RejectFile : null;
        Result.Rejects = Log.Groups();
        return true;
    }

    public void Dispose() => Log.Dispose();
}

/// <summary>
/// Loads tables in parallel: the work is one item per table (or per key range of a large table), largest
/// first; each job has its own connection and its own row buffer, and streams rows into binary COPY. A lost
/// connection is retried per batch (see <see cref="BatchSender"/> and <see cref="LoadSession"/>).
/// </summary>
internal static class LoadPhase
{
    sealed record WorkItem(TableLoad Load, ReadRange Range, long Estimate, bool Expensive);

    public static async Task RunAsync(ISource source, IReadOnlyList<TableLoad> loads, NpgsqlDataSource dataSource, Retrier retrier, CopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var items = new List<WorkItem>();
        foreach (var load in loads)
        {
            var estimate = load.Table.Source.EstimatedRows ?? 0;
            // An expensive step (a password hash) makes even a small table worth every job.
            var expensive = load.Table.Copied.Any(c => c.Steps.Any(s => s.Expensive));
            var ranges = options.Jobs > 1 && (estimate > options.SplitAboveRows || (expensive && estimate > 1))
                ? source.PlanRanges(load.Table.Source, options.Jobs)
                : [ReadRange.All];
            if (ranges.Count == 0)
                ranges = [ReadRange.All];
            load.SetParts(ranges.Count);
            items.AddRange(ranges.Select(r => new WorkItem(load, r, estimate / ranges.Count, expensive)));
        }

        // The largest first, and those with an expensive step before all others: they take longest.
        items = items.OrderByDescending(i => i.Expensive).ThenByDescending(i => i.Estimate).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;
        var confirmed = new ConfirmedBatches();
        // Each job is a dedicated thread: reading the source and writing COPY are blocking calls on the hot path.
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(options.Jobs, items.Count))).Select(_ => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    using var session = new LoadSession(dataSource, retrier, confirmed, stop.Token);
                    for (var i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next))
                        LoadPart(source, session, items[i], options, progress, stop.Token);
                }
                catch
                {
                    stop.Cancel(); // One failed job stops the others.
                    throw;
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();

        try
        {
            await Task.WhenAll(workers);
        }
        catch (Exception) when (workers.FirstOrDefault(w => w.IsFaulted && w.Exception!.InnerException is not OperationCanceledException) is { } failed)
        {
            // Report the job that failed, not the ones it cancelled.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Exception!.InnerException!).Throw();
        }
    }

    static void LoadPart(ISource source, LoadSession session, WorkItem item, CopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var load = item.Load;
        var table = load.Table;
        var doing = $"loading {table.DisplayName} ({item.Range})";
        var stateKey = SourceFactory.StateKey(source);
        if (load.StartPart())
            session.Run(doing, c => CopyState.MarkLoading(c, stateKey, table.DisplayName));
        long read = 0;
        long readReported = 0;
        long written = 0;
        long rejected = 0;
        RowBuffer? current = null;

        void Report(RowBuffer buffer)
        {
            load.Add(read - readReported, buffer.Written - written, buffer.Rejected - rejected);
            readReported = read;
            written = buffer.Written;
            rejected = buffer.Rejected;
            progress?.Report(new CopyProgress(table.DisplayName, load.Read, load.Written, load.Rejected, table.Source.EstimatedRows, false));
        }

        try
        {
            using var reader = source.OpenReader(table, item.Range);
            using var buffer = current = new RowBuffer(table, session, load.Log, RowBuffer.Capacity(table, options.BatchRows), doing, item.Range.IsAll ? null : item.Range.ToString());
            var ended = RowPump.Run(reader, table, buffer, ref read, () =>
            {
                Report(buffer);
                return load.ProfileNeeded is null;
            }, cancellationToken);
            if (!ended)
                return;
            Report(buffer);
        }
        catch (ProfileNeededException e)
        {
            // The unfinished batch is rolled back as the buffer is disposed; the committed ones go with the table.
            load.GiveUp(e);
            return;
        }
        catch (TargetLostException e)
        {
            throw e.With(Stopped(table, item, read, current) + " When the server is back, run the same command with --resume: tables not marked loaded are loaded again.", doing);
        }
        catch (RejectLogException e)
        {
            throw new FerryException(
                $"{e.Message}. {Stopped(table, item, read, current)} The file holds whole lines only. Free space (or make {Path.GetDirectoryName(e.Path)} writable), then run the same command with --resume.",
                FailureKind.Failed,
                e);
        }
        catch (Exception e) when (e is not (OperationCanceledException or FerryException))
        {
            throw new FerryException($"Loading {table.Source.QualifiedSourceName} into {table.DisplayName} ({item.Range}) failed after {read} rows: {e.Message}", FailureKind.Failed, e);
        }

        if (!load.FinishPart())
            return;
        if (load.Read != load.Written + load.Rejected)
        {
            throw new FerryException(
                $"Accounting failed for {table.DisplayName}: {load.Read} rows read but {load.Written} written + {load.Rejected} rejected. This is a bug in Ferry; the table is left marked unfinished.",
                FailureKind.Failed);
        }

        session.Run($"marking {table.DisplayName} loaded", c => CopyState.MarkLoaded(c, stateKey, table.DisplayName, load.Read, load.Written, load.Rejected, (source as ISnapshotSource)?.Position));
        progress?.Report(new CopyProgress(table.DisplayName, load.Read, load.Written, load.Rejected, table.Source.EstimatedRows, true));
    }

    /// <summary>Where a part stopped: the row it had read, and what of it is committed (none of it counts until the table is marked loaded).</summary>
    static string Stopped(PlannedTable table, WorkItem item, long read, RowBuffer? buffer) =>
        string.Create(CultureInfo.InvariantCulture, $"{table.DisplayName} stopped at row {read:N0} (reading {item.Range}): {buffer?.Written ?? 0:N0} rows written and {buffer?.Rejected ?? 0:N0} rejected so far; the table is not marked loaded.");
}
