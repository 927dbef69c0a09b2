using Ferry.Cli;

// Ctrl+C and SIGTERM cancel the run from here on, before any command starts.
using var interruption = new Interruption(Console.Error);

return await FerryCommandLine.RunAsync(args, CliHost.FromProcess(), interruption.Token);
