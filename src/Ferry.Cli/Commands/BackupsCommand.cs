using System.CommandLine;
using System.Globalization;
using Ferry.Backup;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry backups</c> (the list) and <c>ferry backups drop NAME</c>.</summary>
internal static class BackupsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("backups", "The backups recorded in the target (ferry.backups), newest first: name, kind, when, tables, rows, size");
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var backups = await BackupCatalog.ListAsync(target, cancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(new BackupsDocument([.. backups.Select(Line)]));
                return ExitCodes.Success;
            }

            if (backups.Count == 0)
            {
                invocation.HumanLine($"no backups recorded in {target.DisplayUrl} (take one with: ferry backup)");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("name", "kind", "created (UTC)", "tables", "rows", "size", "run", "reason");
            table.Columns[4].RightAligned();
            table.Columns[5].RightAligned();
            foreach (var b in backups)
            {
                table.AddRow(
                    new Text(b.Name), new Text(b.Kind), new Text(b.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new Text(Tables(b)), new Text(b.Tables.Sum(t => t.Rows).ToString("N0", CultureInfo.InvariantCulture)), new Text(Size(b.SizeBytes)),
                    new Text(b.RunId?.ToString(CultureInfo.InvariantCulture) ?? ""), new Text(b.Reason ?? ""));
            }

            invocation.Human.Write(table);
            return ExitCodes.Success;
        });
        command.Add(Drop(host));
        command.Add(BackupsPruneCommand.Create(host));
        return command;
    }

    static Command Drop(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "The backup to drop" };
        var command = new Command("drop", "Drop a backup: its schema (or its file and manifest) and its row in ferry.backups") { name };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var backup = invocation.ParseResult.GetValue(name)!;
            invocation.ConfirmOnProtected($"dropping backup {backup}");
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var dropped = await BackupCatalog.DropAsync(target, backup, cancellationToken);
            invocation.Document(new DroppedDocument(true, dropped.Name, dropped.Kind, dropped.SizeBytes));
            invocation.HumanLine($"dropped backup {dropped.Name} ({dropped.Kind}, {Size(dropped.SizeBytes)})");
            return ExitCodes.Success;
        }, journal: "backups drop");
        return command;
    }

    static BackupLine Line(BackupManifest b) =>
        new(b.Name, b.Kind, b.CreatedAt, [.. b.Tables.Select(t => new TableLine(t.DisplayName, t.Rows))], b.RunId, b.SizeBytes);

    static string Tables(BackupManifest b) =>
        b.Tables.Count <= 3 ? string.Join(", ", b.Tables.Select(t => t.DisplayName)) : $"{b.Tables.Count} tables ({string.Join(", ", b.Tables.Take(2).Select(t => t.DisplayName))}, …)";

    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0", CultureInfo.InvariantCulture) + " kB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    internal sealed record BackupsDocument(IReadOnlyList<BackupLine> Backups);

    internal sealed record BackupLine(string Name, string Kind, DateTimeOffset CreatedAt, IReadOnlyList<TableLine> Tables, long? Run, long SizeBytes);

    internal sealed record TableLine(string Table, long Rows);

    internal sealed record DroppedDocument(bool Ok, string Dropped, string Kind, long SizeBytes);
}
