using System.CommandLine;
using Ferry.Project;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry env list|show NAME</c>: the project file's environments, as written (never a resolved secret).</summary>
internal static class EnvCommand
{
    public static Command Create(CliHost host)
    {
        var env = new Command("env", "The project file's environments (ferry.yml): their targets as written, never a secret's value");

        var list = new Command("list", "Each environment, its target as written, whether it is protected, and the default");
        list.SetHandler(host, (invocation, _) =>
        {
            var project = Required(invocation);
            var rows = project.Environments.Values.Select(e => new EnvironmentDocument(
                e.Name, e.Settings().First().Value, e.Protected, e.Name == project.DefaultEnvironment)).ToList();
            if (invocation.Json)
            {
                invocation.WriteJson(new EnvListDocument(project.Path, rows));
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new Table().AddColumns("environment", "database", "protected");
            foreach (var row in rows)
                table.AddRow(Markup.Escape(row.Name + (row.Default ? " (default)" : "")), Markup.Escape(row.Database), row.Protected ? "yes" : "no");
            invocation.Human.Write(table);
            invocation.Note($"project file: {project.Path}");
            return Task.FromResult(ExitCodes.Success);
        });

        var name = new Argument<string>("NAME") { Description = "The environment" };
        var show = new Command("show", "One environment's settings, each with where it comes from (file and line, or default)") { name };
        show.SetHandler(host, (invocation, _) =>
        {
            var project = Required(invocation);
            var environment = project.Environment(invocation.ParseResult.GetValue(name))!;
            var settings = environment.Settings().Select(s => new SettingDocument(s.Key, s.Value, s.Origin)).ToList();
            if (invocation.Json)
            {
                invocation.WriteJson(new EnvShowDocument(project.Path, environment.Name, environment.Protected, settings));
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new Table().AddColumns("setting", "value", "from");
            foreach (var setting in settings)
                table.AddRow(Markup.Escape(setting.Key), Markup.Escape(setting.Value), Markup.Escape(setting.Origin));
            invocation.Human.Write(table);
            return Task.FromResult(ExitCodes.Success);
        });

        env.Add(list);
        env.Add(show);
        return env;
    }

    static FerryProject Required(Invocation invocation) =>
        invocation.Project.Project ?? throw new FerryException(
            $"No {FerryProject.FileName} in {invocation.Host.WorkingDirectory} or a folder above it. Give one with --config FILE (or FERRY_CONFIG).", FailureKind.Configuration);

    internal sealed record EnvironmentDocument(string Name, string Database, bool Protected, bool Default);

    internal sealed record EnvListDocument(string ProjectFile, IReadOnlyList<EnvironmentDocument> Environments);

    internal sealed record SettingDocument(string Key, string Value, string Origin);

    internal sealed record EnvShowDocument(string ProjectFile, string Environment, bool Protected, IReadOnlyList<SettingDocument> Settings);
}
