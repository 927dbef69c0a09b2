using Ferry.Backup;
using Ferry.Connections;
using Ferry.Journal;

namespace Ferry.Rollback.Internal;

/// <summary>
/// Decides how a run is undone, and refuses before anything changes: a run of a kind that cannot be undone, one still
/// running or already rolled back, one whose tables later runs changed (named), a migration with neither a down file
/// nor a snapshot, a <c>--replace</c> without a snapshot of what it replaced.
/// </summary>
internal sealed class RollbackPlanner(PostgresTarget target, RollbackOptions options)
{
    /// <summary>How far back the journal is read for later runs and rollbacks.</summary>
    const int Horizon = 100_000;

    static readonly HashSet<string> Undoable = new(StringComparer.Ordinal) { "copy", "migrate up" };

    public async Task<RollbackPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var runs = await RunHistory.ListAsync(target, null, Horizon, cancellationToken);
        var footprints = new Dictionary<long, RunFootprint>();
        async Task<RunFootprint> FootprintAsync(long id) =>
            footprints.TryGetValue(id, out var known) ? known : footprints[id] = RunFootprint.Of((await RunHistory.GetAsync(target, id, cancellationToken))!);

        // Runs an earlier rollback undid, and those rollbacks: neither stands in the way any more.
        var undone = new Dictionary<long, long>();
        foreach (var rollback in runs.Where(r => r.Kind == "rollback" && r.Outcome == RunOutcome.Ok))
        {
            if ((await FootprintAsync(rollback.Id)).RolledBack is { } id)
                undone[id] = rollback.Id;
        }

        // The list carries no documents: the run is read again, whole.
        var runId = options.RunId ?? runs.FirstOrDefault(r => Undoable.Contains(r.Kind) && r.Outcome != RunOutcome.Running && !undone.ContainsKey(r.Id))?.Id
            ?? throw new FerryException($"No run in {target.DisplayUrl} can be rolled back: none is a copy or a migrate up that is not rolled back already (`ferry runs` lists them).", FailureKind.Configuration);
        var run = await RunHistory.FindAsync(target, runId, cancellationToken);
        Refuse(run, undone);
        var footprint = await FootprintAsync(run.Id);

        var later = new List<(RunRecord Run, List<string> Tables)>();
        foreach (var other in runs.Where(r => r.Id > run.Id && !undone.ContainsKey(r.Id) && !undone.ContainsValue(r.Id)).OrderBy(r => r.Id))
        {
            var theirs = await FootprintAsync(other.Id);
            if (theirs.ChangesTables && theirs.Touched.Where(footprint.Touched.Contains).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } shared)
                later.Add((other, shared));
        }

        if (later.Count > 0)
        {
            throw new FerryException(
                $"Run {run.Id} ({run.Kind}) cannot be rolled back: later runs changed the same tables — " +
                string.Join("; ", later.Select(l => $"run {l.Run.Id} ({l.Run.Kind}): {string.Join(", ", l.Tables)}")) +
                $". Roll those back first, newest first (`ferry rollback {later[^1].Run.Id}`). Nothing was changed.",
                FailureKind.Configuration);
        }

        var snapshot = (await BackupCatalog.ListAsync(target, cancellationToken)).Where(b => b.RunId == run.Id).MaxBy(b => b.CreatedAt);
        IRunUndo undo = run.Kind == "copy" ? new CopyUndo(target, footprint, snapshot) : new MigrationUndo(target, footprint, snapshot, options);
        return await undo.PlanAsync(cancellationToken);
    }

    static void Refuse(RunRecord run, Dictionary<long, long> undone)
    {
        if (!Undoable.Contains(run.Kind))
        {
            var why = run.Kind switch
            {
                "rollback" => "it is itself a rollback; run again what it undid",
                "migrate down" => "roll forward with `ferry migrate up`",
                "restore" => "restore an earlier backup with `ferry restore NAME`",
                "verify" or "check" or "backup" => "it changed no table",
                _ => "only copy and migrate up runs are undone",
            };
            throw new FerryException($"Run {run.Id} is a `{run.Kind}` run: there is nothing to roll back ({why}).", FailureKind.Configuration);
        }

        if (run.Outcome == RunOutcome.Running)
            throw new FerryException($"Run {run.Id} ({run.Kind}) is still running: wait for it to end, or stop it, before rolling it back.", FailureKind.Configuration);
        if (undone.TryGetValue(run.Id, out var by))
            throw new FerryException($"Run {run.Id} ({run.Kind}) was rolled back already, by run {by}.", FailureKind.Configuration);
        if (run.Document is null)
            throw new FerryException($"Run {run.Id} ({run.Kind}) recorded no document of what it did: it cannot be undone from the journal. Restore a backup taken before it (`ferry backups`).", FailureKind.Configuration);
    }
}
