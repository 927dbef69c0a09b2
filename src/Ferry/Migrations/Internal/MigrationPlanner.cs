using Microsoft.Extensions.Logging;

namespace Ferry.Migrations.Internal;

/// <summary>A migration's files with its up script read; <see cref="From"/> the statements an earlier run completed.</summary>
internal sealed record LoadedMigration(MigrationFiles Files, MigrationScript Up)
{
    /// <summary>Of a script run outside a transaction that stopped part-way: how many of its statements completed.</summary>
    public int From { get; init; }

    /// <summary>It stopped unfinished (killed, cancelled, its connection lost): statement <see cref="From"/> may have completed unrecorded.</summary>
    public bool Resuming { get; init; }

    /// <summary>Whether an earlier run of it is being continued.</summary>
    public bool Continues => From > 0 || Resuming;
}

/// <summary>What <c>up</c> and <c>down</c> would run, from the folder and the history, and what they refuse before running anything.</summary>
internal sealed class MigrationPlanner(MigratorOptions options, string directory, string historyTable, ILogger logger)
{
    /// <summary>
    /// The migrations <c>up</c> applies, in order, after refusing drift and out-of-order files. One run outside a
    /// transaction that stopped part-way continues after the statements its row records as done, when its file is
    /// unchanged; an unfinished one whose file changed since is refused (which of its statements ran is then unknown).
    /// </summary>
    public List<LoadedMigration> PlanUp(List<LoadedMigration> migrations, List<HistoryRow> history, MigrationVersion? to)
    {
        if (to is not null)
            EnsureKnown(to, migrations.Select(m => m.Files), history, down: false);
        var status = MigrationStatusBuilder.Build(migrations, history);
        var drift = status
            .Where(s => s.Entry.State is MigrationState.Changed or MigrationState.Missing || (s.Entry.State == MigrationState.Failed && (s.Script is null || s.Row?.PartlyReverted == true)))
            .Select(s => s.Entry)
            .ToList();
        if (drift.Count > 0)
        {
            var what = string.Join("; ", drift.Select(d => d.State switch
            {
                MigrationState.Changed => $"{d.File} was edited after it was applied",
                MigrationState.Failed when d.File is null => $"version {d.Version ?? d.Name} ({d.Name}) failed and its file is gone",
                MigrationState.Failed => $"version {d.Version} ({d.Name}) is partly reverted: its down file failed part-way (fix it and finish with 'ferry migrate down', or undo the rest by hand)",
                _ => $"version {d.Version ?? d.Name} ({d.Name}) was applied but its file is gone",
            }));
            if (!options.IgnoreDrift)
            {
                throw new FerryException(
                    $"Refusing to migrate: {what}. Restore the files, or accept the history as it is with 'ferry migrate repair', or pass --ignore-drift.",
                    FailureKind.Failed);
            }

            logger.LogWarning("Ignoring drift: {Drift}", what);
        }

        var pending = status
            .Where(s => s.Script is not null && s.Entry.State is MigrationState.Pending or MigrationState.Failed && s.Row?.PartlyReverted != true)
            .Where(s => s.Files!.Version is null || to is null || s.Files.Version <= to)
            .Select(s => Continuing(s.Files!, s.Script!, s.Row))
            .ToList();
        var newest = history
            .Where(r => r.Success && r.Kind != MigrationKind.Repeatable && r.ParsedVersion is not null)
            .Select(r => r.ParsedVersion!)
            .DefaultIfEmpty()
            .Max();
        var outOfOrder = pending.Where(m => m.Files.Version is not null && newest is not null && m.Files.Version < newest).ToList();
        if (outOfOrder.Count > 0 && !options.AllowOutOfOrder)
        {
            throw new FerryException(
                $"{string.Join(", ", outOfOrder.Select(m => m.Up.FileName))} {(outOfOrder.Count == 1 ? "is" : "are")} pending but version {newest} is already applied. Renumber {(outOfOrder.Count == 1 ? "it" : "them")} after {newest}, or pass --allow-out-of-order to apply {(outOfOrder.Count == 1 ? "it" : "them")} anyway.",
                FailureKind.Failed);
        }

        foreach (var migration in pending)
            migration.Up.EnsureRunnable();

        // Versioned first (in version order), then repeatable ones; Build already lists them that way.
        return pending;
    }

    /// <summary>Applied migrations to revert with their down files, newest first; refuses when one has no down file.</summary>
    public List<(MigrationFiles Files, HistoryRow Row, MigrationScript Down)> PlanDown(
        List<MigrationFiles> files, List<HistoryRow> history, int? steps, MigrationVersion? to)
    {
        // A migration whose down file failed part-way is still to be reverted (by its fixed down file).
        var applied = history
            .Where(r => (r.Success || r.PartlyReverted) && r.Kind == MigrationKind.Versioned && r.ParsedVersion is not null)
            .OrderByDescending(r => r.ParsedVersion)
            .ToList();
        List<HistoryRow> chosen;
        if (to is not null)
        {
            EnsureKnown(to, files, history, down: true);
            chosen = applied.Where(r => r.ParsedVersion! > to).ToList();
        }
        else
        {
            // The default step reverts nothing when nothing is applied, as 'up' applies nothing when nothing is pending.
            var count = steps ?? Math.Min(1, applied.Count);
            if (count > applied.Count)
            {
                throw new FerryException(
                    $"--steps {count}: only {applied.Count} applied migration{(applied.Count == 1 ? "" : "s")} can be reverted in {historyTable}. Nothing was reverted.",
                    FailureKind.Failed);
            }

            chosen = applied.Take(count).ToList();
        }

        var byVersion = files.Where(f => f.Version is not null).ToDictionary(f => f.Version!);
        var noDown = chosen.Where(r => byVersion.GetValueOrDefault(r.ParsedVersion!)?.DownPath is null).ToList();
        if (noDown.Count > 0)
        {
            var which = string.Join(", ", noDown.Select(r => byVersion.TryGetValue(r.ParsedVersion!, out var f)
                ? $"{f.UpFileName} has no down file"
                : $"version {r.Version} ({r.Name}) has no files at all"));
            throw new FerryException($"Cannot revert: {which}. Nothing was reverted. Add the down file, or revert fewer steps.", FailureKind.Failed);
        }

        var plan = new List<(MigrationFiles, HistoryRow, MigrationScript)>();
        foreach (var row in chosen)
        {
            var migration = byVersion[row.ParsedVersion!];
            plan.Add((migration, row, MigrationScript.Read(migration.DownPath!)));
        }

        foreach (var (_, _, down) in plan)
            down.EnsureRunnable();

        return plan;
    }

    /// <summary>
    /// Refuses a <c>--to</c> version that no file and no history row has (for <c>down</c>, 0 reverts everything): a
    /// typo such as 1.5 for 1.15 would otherwise stop at the next version silently.
    /// </summary>
    void EnsureKnown(MigrationVersion to, IEnumerable<MigrationFiles> files, List<HistoryRow> history, bool down)
    {
        if ((down && to == MigrationVersion.Parse("0")) || files.Any(f => f.Version == to) || history.Any(r => r.ParsedVersion == to))
            return;
        throw new FerryException(
            $"--to {to}: no migration has version {to}, neither a file in {directory} nor a row in {historyTable}. Nothing was {(down ? "reverted" : "applied")}. " +
            $"Give the version of a migration{(down ? ", or 0 to revert them all" : "")}.");
    }

    /// <summary>
    /// A pending or failed migration, continued after the statements its row records as done when it ran outside a
    /// transaction and its file is unchanged. A failed one whose file changed runs whole (the fix may be anywhere);
    /// an unfinished one whose file changed is refused.
    /// </summary>
    LoadedMigration Continuing(MigrationFiles files, MigrationScript script, HistoryRow? row)
    {
        if (row is not { Success: false, StatementsDone: { } done } || script.RunsInTransaction)
            return new LoadedMigration(files, script);
        if (row.Checksum == script.Checksum && done <= script.Statements.Count)
            return new LoadedMigration(files, script) { From = done, Resuming = row.Unfinished };
        if (!row.Unfinished || done == 0)
            return new LoadedMigration(files, script);
        throw new FerryException(
            $"{script.FileName} stopped part-way in an earlier run ({MigrationExecutor.StatementsRan(done).Replace("ran", "of the file as it was then ran", StringComparison.Ordinal)}, outside a transaction), and has been edited since: " +
            $"which of its statements ran can no longer be told. Nothing was run. Restore the file as it was (checksum {row.Checksum}) and run again to continue it after those statements; " +
            "or finish or undo by hand what it did, then clear its entry with 'ferry migrate repair' (after which 'up' runs the whole file).",
            FailureKind.Failed);
    }
}
