namespace Ferry.Cli;

/// <summary>
/// Everything the CLI takes from its process: the output streams, the environment and the working directory.
/// Tests run the CLI in-process with their own.
/// </summary>
internal sealed record CliHost(TextWriter Out, TextWriter Error, EnvironmentReader Environment, string WorkingDirectory, bool OutIsTerminal, bool ErrorIsTerminal)
{
    public static CliHost FromProcess() => new(
        Console.Out,
        Console.Error,
        ProcessEnvironment.Reader,
        Directory.GetCurrentDirectory(),
        !Console.IsOutputRedirected,
        !Console.IsErrorRedirected);

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
