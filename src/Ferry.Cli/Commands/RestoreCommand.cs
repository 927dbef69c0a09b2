using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ferry.Backup;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry restore NAME [--tables a,b] [--into SCHEMA]</c>: a backup's tables put back, proven identical by their fingerprints (exit 1 when not).</summary>
internal static class RestoreCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "The backup to restore (ferry backups lists them), or a file backup's archive by its path" };
        var tables = new Option<string?>("--tables") { Description = "Restore only these of the backup's tables (comma-separated)", HelpName = "a,b" };
        var into = new Option<string?>("--into") { Description = "Restore beside the live tables, into this schema (made when missing), for inspection", HelpName = "SCHEMA" };
        var jobs = new Option<int>("--jobs") { Description = "Tables fingerprinted at once after the restore", DefaultValueFactory = _ => 2, HelpName = "N" };
        var command = new Command("restore", "Put a backup's tables back as they were (data, constraints, indexes, sequences; dropped tables made again) in one transaction, then prove them by fingerprints")
        {
            name, tables, into, jobs,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var backup = parse.GetValue(name) is { } given && Restorer.IsArchivePath(given) ? host.ResolvePath(given) : parse.GetValue(name)!;
            var request = new RestoreRequest { Tables = SharedOptions.TableList(parse.GetValue(tables)), Into = parse.GetValue(into), Jobs = parse.GetValue(jobs) };
            if (request.Into is null)
                invocation.ConfirmOnProtected($"restore {backup} (replaces the live tables' rows)");
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var clock = Stopwatch.StartNew();
            var result = await Restorer.RestoreAsync(target, backup, request, new VerifyCommand.Progress(invocation), cancellationToken);
            var seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
            invocation.Document(new RestoreDocument(
                result.Ok, result.Name, result.Into, seconds,
                [.. result.Tables.Select(t => new RestoredDocument(t.Table, t.RestoredAs, t.Action, t.Rows, t.Proven, t.Fingerprint, t.ExpectedFingerprint))],
                result.Notes));
            Render(invocation, result, seconds);
            return result.Ok ? ExitCodes.Success : ExitCodes.Failed;
        }, journal: "restore");
        return command;
    }

    static void Render(Invocation invocation, RestoreResult result, double seconds)
    {
        var table = new Table().AddColumns("table", "restored as", "action", "rows", "proven");
        table.Columns[3].RightAligned();
        foreach (var t in result.Tables)
        {
            table.AddRow(
                new Text(t.Table), new Text(t.RestoredAs), new Text(t.Action), new Text(t.Rows.ToString("N0", CultureInfo.InvariantCulture)),
                new Markup(t.Proven ? "[green]yes[/]" : "[red]NO[/]"));
        }

        invocation.Human.Write(table);
        foreach (var note in result.Notes)
            invocation.HumanLine("note: " + note);
        var time = seconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (result.Ok)
        {
            invocation.HumanLine($"restored {result.Tables.Count} table{(result.Tables.Count == 1 ? "" : "s")} from {result.Name}, each proven identical to the backup by its fingerprint ({time} s)");
            return;
        }

        invocation.HumanLine($"restored from {result.Name}, but these tables differ from the backup's fingerprint: {string.Join(", ", result.Unproven)} " +
            "(the backup's copy was changed since it was taken, or the restore did not put it back exactly)");
    }

    internal sealed record RestoreDocument(bool Ok, string Name, string? Into, double Seconds, IReadOnlyList<RestoredDocument> Tables, IReadOnlyList<string> Notes);

    internal sealed record RestoredDocument(string Table, string RestoredAs, string Action, long Rows, bool Proven, string Fingerprint, string ExpectedFingerprint);
}
