namespace Ferry.Backup;

/// <summary>
/// <c>ferry backups prune</c>: drops the backups (schemas and files alike) that <see cref="BackupRetention"/> does not keep,
/// oldest first; with <c>dryRun</c>, only says which.
/// </summary>
public static class BackupPruner
{
    public static async Task<PruneResult> PruneAsync(
        Connections.PostgresTarget target, int keepDaily, int keepWeekly, int keepMonthly, bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var backups = await BackupCatalog.ListAsync(target, cancellationToken);
        var plan = BackupRetention.Plan([.. backups.Select(b => (b.Name, b.CreatedAt))], keepDaily, keepWeekly, keepMonthly);
        var byName = backups.ToDictionary(b => b.Name, StringComparer.Ordinal);
        var kept = plan.Keep.Select(k => (byName[k.Name], k.KeptBy)).ToList();
        var dropping = plan.Drop.Select(d => byName[d.Name]).ToList();
        if (dryRun)
            return new PruneResult(true, kept, dropping);

        var dropped = new List<string>();
        foreach (var backup in Enumerable.Reverse(dropping))
        {
            try
            {
                await BackupCatalog.DropAsync(target, backup.Name, cancellationToken);
            }
            catch (FerryException e)
            {
                throw new FerryException(
                    $"prune dropped {dropped.Count} of {dropping.Count} backups{(dropped.Count == 0 ? "" : " (" + string.Join(", ", dropped) + ")")}, then could not drop {backup.Name}: {e.Message}",
                    FailureKind.Failed, e);
            }

            dropped.Add(backup.Name);
            progress?.Report($"dropped backup {backup.Name} ({backup.Kind}) [{dropped.Count}/{dropping.Count}]");
        }

        return new PruneResult(false, kept, dropping);
    }
}
