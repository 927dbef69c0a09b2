using System.CommandLine;
using Ferry.Local;
using Spectre.Console;

namespace Ferry.Cli.Commands;

internal static class LocalCommand
{
    public static Command Create(CliHost host)
    {
        var local = new Command("local", "The managed local PostgreSQL cluster (.ferry/postgres in the project's folder, the one holding ferry.yml, else in this folder; FERRY_LOCAL_DIR overrides), used when no target is configured");

        var start = new Command("start", "Start the local cluster (initializing it on first use) and print its URL");
        start.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var cluster = invocation.LocalCluster();
            var before = await cluster.GetStatusAsync(cancellationToken);
            await cluster.StartAsync(cancellationToken);
            var status = await cluster.GetStatusAsync(cancellationToken);
            Report(invocation, status, before.Running ? "already running" : "started");
            return ExitCodes.Success;
        });

        var stop = new Command("stop", "Stop the local cluster");
        stop.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var cluster = invocation.LocalCluster();
            var stopped = await cluster.StopAsync(cancellationToken: cancellationToken);
            var status = await cluster.GetStatusAsync(cancellationToken);
            Report(invocation, status, stopped ? "stopped" : "not running");
            return ExitCodes.Success;
        });

        var status = new Command("status", "Say whether the local cluster runs, on which port, and where its data is");
        status.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var state = await invocation.LocalCluster().GetStatusAsync(cancellationToken);
            Report(invocation, state, state.Running ? "running" : state.Initialized ? "not running" : "not initialized");
            return ExitCodes.Success;
        });

        var url = new Command("url", "Print the local cluster's URL (starting it if needed)");
        url.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var target = await invocation.LocalCluster().StartAsync(cancellationToken);
            if (invocation.Json)
                invocation.WriteJson(new UrlDocument(target.DisplayUrl));
            else
                await invocation.Host.Out.WriteLineAsync(target.DisplayUrl);
            return ExitCodes.Success;
        });

        local.Add(start);
        local.Add(stop);
        local.Add(status);
        local.Add(url);
        return local;
    }

    static void Report(Invocation invocation, LocalClusterStatus status, string state)
    {
        if (invocation.Json)
        {
            invocation.WriteJson(new ClusterDocument(state.Replace(' ', '_'), status.Running, status.Port, status.Url, status.DataDirectory));
            return;
        }

        var where = status.Running ? $" at {status.Url}" : "";
        invocation.Human.WriteLine($"local cluster {state}{where} (data: {status.DataDirectory})");
    }

    // The --json documents (JsonOutput; names in snake_case).
    internal sealed record UrlDocument(string Url);

    internal sealed record ClusterDocument(string State, bool Running, int? Port, string? Url, string DataDirectory);
}
