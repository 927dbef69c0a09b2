using System.CommandLine;
using Ferry.Connections;
using Spectre.Console;

namespace Ferry.Cli.Commands;

internal static class DoctorCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("doctor", "Connect to the target and print the server version, privileges and the settings that matter for bulk loads; check that DuckDB loads");
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var report = await ServerReport.CollectAsync(target, cancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(report);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            void Row(string name, string value) => grid.AddRow(new Text(name), new Text(value));
            Row("target", $"{report.Target} ({Describe(target.Origin)})");
            Row("server", report.ServerVersion);
            Row("user", report.Superuser ? $"{report.User} (superuser)" : report.User);
            Row("database", report.Database);
            Row("can create", $"schemas: {YesNo(report.CanCreateSchemas)}, tables in public: {YesNo(report.CanCreateTables)}");
            foreach (var (name, value) in report.Settings)
                Row(name, value);
            Row("duckdb", report.DuckDbAvailable ? $"loads ({report.DuckDb})" : $"not available: {report.DuckDb}");
            invocation.Human.Write(grid);
            return ExitCodes.Success;
        });
        return command;
    }

    static string YesNo(bool value) => value ? "yes" : "no";

    internal static string Describe(TargetOrigin origin) => origin switch
    {
        TargetOrigin.Argument => "from --database/--to",
        TargetOrigin.DatabaseUrl => "from DATABASE_URL",
        TargetOrigin.PostgresVariables => "from POSTGRES_*",
        TargetOrigin.LibpqVariables => "from PG* variables",
        TargetOrigin.LocalCluster => "the managed local cluster",
        _ => origin.ToString(),
    };
}
