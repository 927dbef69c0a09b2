using System.CommandLine;
using System.Globalization;
using Ferry.Backup;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry backups prune --keep-daily N --keep-weekly N --keep-monthly N [--dry-run]</c>: drops what the retention rules do not keep.</summary>
internal static class BackupsPruneCommand
{
    public static Command Create(CliHost host)
    {
        Option<int> Keep(string period, string example) => new("--keep-" + period)
        {
            Description = $"Keep the newest backup of each of the last N {example} that have one (UTC; default 0)",
            HelpName = "N",
        };
        var daily = Keep("daily", "days");
        var weekly = Keep("weekly", "ISO weeks");
        var monthly = Keep("monthly", "calendar months");
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be kept and dropped, and why; drop nothing" };
        var command = new Command("prune", "Drop the backups (schemas and files) that no --keep-* rule keeps; a backup kept by any rule is kept")
        {
            daily, weekly, monthly, dryRun,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var dry = parse.GetValue(dryRun);
            if (!dry)
                invocation.ConfirmOnProtected("ferry backups prune");
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var result = await BackupPruner.PruneAsync(
                target, parse.GetValue(daily), parse.GetValue(weekly), parse.GetValue(monthly), dry, new VerifyCommand.Progress(invocation), cancellationToken);
            invocation.Document(new PruneDocument(
                true, dry,
                [.. result.Kept.Select(k => new PrunedDocument(k.Backup.Name, k.Backup.Kind, k.Backup.CreatedAt, k.Backup.SizeBytes, k.KeptBy))],
                [.. result.Dropped.Select(b => new PrunedDocument(b.Name, b.Kind, b.CreatedAt, b.SizeBytes, null))]));
            var table = new Table().AddColumns("backup", "kind", "created (UTC)", "size", dry ? "would be" : "now", "kept by");
            table.Columns[3].RightAligned();
            var rows = result.Kept.Select(k => (k.Backup, Kept: true, Why: string.Join(", ", k.KeptBy)))
                .Concat(result.Dropped.Select(b => (Backup: b, Kept: false, Why: "")))
                .OrderByDescending(r => r.Backup.CreatedAt);
            foreach (var (backup, kept, why) in rows)
            {
                table.AddRow(
                    new Text(backup.Name), new Text(backup.Kind),
                    new Text(backup.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new Text(BackupsCommand.Size(backup.SizeBytes)), new Text(kept ? "kept" : "dropped"), new Text(why));
            }

            if (result.Kept.Count + result.Dropped.Count > 0)
                invocation.Human.Write(table);
            invocation.HumanLine(
                $"prune{(dry ? " (dry run)" : "")}: kept {result.Kept.Count}, {(dry ? "would drop" : "dropped")} {result.Dropped.Count} " +
                $"({BackupsCommand.Size(result.DroppedBytes)}){(dry && result.Dropped.Count > 0 ? ". Run again without --dry-run to drop them." : ".")}");
            return ExitCodes.Success;
        }, journal: "backups prune");
        return command;
    }

    internal sealed record PruneDocument(bool Ok, bool DryRun, IReadOnlyList<PrunedDocument> Kept, IReadOnlyList<PrunedDocument> Dropped);

    internal sealed record PrunedDocument(string Name, string Kind, DateTimeOffset CreatedAt, long SizeBytes, IReadOnlyList<string>? KeptBy);
}
