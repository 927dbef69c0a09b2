using System.CommandLine;
using Ferry.Project;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry init</c>: a commented <c>ferry.yml</c> for this folder.</summary>
internal static class InitCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("init", "Write a commented ferry.yml for this folder (its migrations folder and application database found when it has them)");
        command.SetHandler(host, (invocation, _) =>
        {
            var written = ProjectTemplate.Write(invocation.Host.WorkingDirectory);
            if (invocation.Json)
                invocation.WriteJson(new ProjectInitDocument(written.Path, written.MigrationsDir, written.Source));
            invocation.HumanLine($"wrote {written.Path}" +
                (written.MigrationsDir is null ? "" : $"; migrations: {written.MigrationsDir}") +
                (written.Source is null ? "" : $"; copy source: {written.Source}"));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    internal sealed record ProjectInitDocument(string ProjectFile, string? MigrationsDir, string? Source);
}
