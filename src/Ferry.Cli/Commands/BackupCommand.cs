using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ferry.Backup;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry backup [--tables a,b | --schema S …] [--name NAME] [--file PATH] [--jobs N]</c>: a backup of tables, proven restorable by fingerprints.</summary>
internal static class BackupCommand
{
    public static Command Create(CliHost host)
    {
        var tables = new Option<string?>("--tables") { Description = "Back up only these tables (comma-separated; schema.table, or a bare name found through the search path or --schema)", HelpName = "a,b" };
        var schemas = new Option<string[]>("--schema") { Description = "Back up every table of this schema (repeatable); default: every user table", HelpName = "S", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "The backup's name, and its schema's (default: backup_YYYYMMDD_HHMMSS, UTC)", HelpName = "NAME" };
        var file = new Option<string?>("--file") { Description = "Write a pg_dump archive to PATH instead of a schema in the database", HelpName = "PATH" };
        var jobs = new Option<int>("--jobs") { Description = "Tables copied at once, each on its own connection", DefaultValueFactory = _ => 2, HelpName = "N" };
        var command = new Command("backup", "Back up tables into a schema of the database (or a pg_dump archive), with a manifest of their rows, fingerprints, sequences and definitions")
        {
            tables, schemas, name, file, jobs,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var request = new BackupRequest
            {
                Tables = SharedOptions.TableList(parse.GetValue(tables)),
                Schemas = parse.GetValue(schemas) is { Length: > 0 } given ? given : null,
                Name = parse.GetValue(name),
                File = parse.GetValue(file) is { } path ? host.ResolvePath(path) : null,
                Jobs = parse.GetValue(jobs),
                Reason = "ferry backup",
            };
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var clock = Stopwatch.StartNew();
            var manifest = await BackupRunner.CreateAsync(target, request with { RunId = invocation.Run?.RunId }, new VerifyCommand.Progress(invocation), cancellationToken);
            var seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
            invocation.Document(new BackupDocument(
                true, manifest.Name, manifest.Kind, manifest.CreatedAt, manifest.RunId, manifest.Schema, manifest.File, manifest.SizeBytes, seconds,
                [.. manifest.Tables.Select(t => new BackedUpDocument(t.DisplayName, t.Rows, t.Fingerprint))]));
            var table = new Table().AddColumns("table", "rows", "fingerprint");
            table.Columns[1].RightAligned();
            foreach (var t in manifest.Tables)
                table.AddRow(new Text(t.DisplayName), new Text(t.Rows.ToString("N0", CultureInfo.InvariantCulture)), new Text(t.Fingerprint));
            invocation.Human.Write(table);
            invocation.HumanLine($"backup {manifest.Name}: {manifest.Tables.Count} table{(manifest.Tables.Count == 1 ? "" : "s")}, " +
                $"{manifest.Tables.Sum(t => t.Rows).ToString("N0", CultureInfo.InvariantCulture)} rows, {BackupsCommand.Size(manifest.SizeBytes)} in " +
                $"{(manifest.Schema is { } schema ? "schema " + schema : manifest.File)} ({seconds.ToString("0.0", CultureInfo.InvariantCulture)} s). Restore with: ferry restore {manifest.Name}");
            return ExitCodes.Success;
        }, journal: "backup");
        return command;
    }

    internal sealed record BackupDocument(
        bool Ok, string Name, string Kind, DateTimeOffset CreatedAt, long? Run, string? Schema, string? File, long SizeBytes, double Seconds, IReadOnlyList<BackedUpDocument> Tables);

    internal sealed record BackedUpDocument(string Table, long Rows, string Fingerprint);
}
