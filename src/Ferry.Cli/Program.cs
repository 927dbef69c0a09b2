using Ferry.Cli;

// Ctrl+C and SIGTERM cancel the run from here on, before any command starts.
using var interruption = new Interruption(Console.Error);

// Warm-up on the second core while the first parses the command line: Npgsql's connection-string and data-source
// setup is JIT-compiled on first use, and every command that connects pays for it before its first connection.
if (args.Length > 0 && args[0] is "migrate" or "copy" or "verify" or "doctor")
{
    _ = Task.Run(() =>
    {
        using var warm = new Npgsql.NpgsqlDataSourceBuilder("Host=localhost;Username=ferry")
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .Build();
    });
}

return await FerryCommandLine.RunAsync(args, CliHost.FromProcess(), interruption.Token);
