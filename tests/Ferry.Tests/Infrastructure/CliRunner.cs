using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ferry.Cli;

namespace Ferry.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        try
        {
            return JsonDocument.Parse(Stdout).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"stdout is not one JSON document ({e.Message}):\n{Stdout}\nstderr:\n{Stderr}", e);
        }
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the ferry CLI: in-process with a private environment, or as a real process.</summary>
public static class CliRunner
{
    /// <summary>
    /// In-process, seeing only <paramref name="environment"/> (plus HOME pointing at an empty directory, so
    /// the developer's ~/.pgpass never leaks in).
    /// </summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, string? workingDirectory, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        env.TryAdd("HOME", EmptyHome.Value);
        var host = new CliHost(stdout, stderr, name => env.GetValueOrDefault(name), workingDirectory ?? Directory.GetCurrentDirectory(), false, false);
        var exit = await FerryCommandLine.RunAsync(args, host);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(null, null, args);

    static readonly Lazy<string> EmptyHome = new(() =>
    {
        var home = Path.Combine(Path.GetTempPath(), "ferry-tests-home-" + Environment.ProcessId);
        Directory.CreateDirectory(home);
        return home;
    });

    /// <summary>
    /// As a real process (<c>dotnet Ferry.Cli.dll</c>), with a clean environment: no DATABASE_URL, POSTGRES_*
    /// or PG* unless given.
    /// </summary>
    public static Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProcessAsync(environment, workingDirectory, timeout, terminal: false, args);

    /// <summary>
    /// As <see cref="RunProcessAsync(IReadOnlyDictionary{string, string}?, string, TimeSpan, string[])"/>; with
    /// <paramref name="terminal"/>, on a pseudo-terminal (util-linux <c>script</c>), as a user at a terminal sees it:
    /// stdout and stderr then arrive together, in <see cref="CliResult.Stdout"/>.
    /// </summary>
    public static Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, bool terminal, params string[] args) =>
        RunCommandAsync(["dotnet", Path.Combine(AppContext.BaseDirectory, "Ferry.Cli.dll"), .. args], environment, workingDirectory, timeout, terminal);

    /// <summary>
    /// As <see cref="RunProcessAsync(IReadOnlyDictionary{string, string}?, string, TimeSpan, string[])"/>, with the process's
    /// peak resident memory (<c>VmHWM</c> of <c>/proc/PID/status</c>, read until it exits), in bytes.
    /// </summary>
    public static async Task<(CliResult Result, long PeakBytes)> RunProcessMeasuredAsync(IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var peak = new StrongBox<long>();
        var result = await RunCommandAsync(["dotnet", Path.Combine(AppContext.BaseDirectory, "Ferry.Cli.dll"), .. args], environment, workingDirectory, timeout, false, peak);
        return (result, peak.Value);
    }

    /// <summary>As <see cref="RunProcessAsync(IReadOnlyDictionary{string, string}?, string, TimeSpan, string[])"/>, running <paramref name="executable"/> (a published ferry).</summary>
    public static Task<CliResult> RunExecutableAsync(string executable, IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunCommandAsync([executable, .. args], environment, workingDirectory, timeout, terminal: false);

    static async Task<CliResult> RunCommandAsync(
        string[] command, IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, bool terminal, StrongBox<long>? peak = null)
    {
        using var process = Process.Start(StartInfo(command, environment, workingDirectory, terminal))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        var exit = process.WaitForExitAsync(cts.Token);
        while (peak is not null && !exit.IsCompleted)
        {
            peak.Value = Math.Max(peak.Value, PeakResidentBytes(process.Id));
            await Task.WhenAny(exit, Task.Delay(10));
        }

        await exit;
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How to start <paramref name="command"/>: output redirected, a clean environment plus <paramref name="environment"/>.</summary>
    internal static ProcessStartInfo StartInfo(string[] command, IReadOnlyDictionary<string, string>? environment, string workingDirectory, bool terminal = false)
    {
        var info = new ProcessStartInfo(terminal ? "script" : command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (terminal)
        {
            // -q: no banner, -e: its exit code is the command's, -f: flush as it comes, -c: the command (for sh), on
            // a terminal 200 columns wide.
            var line = "stty cols 200 rows 50; " + string.Join(' ', command.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
            foreach (var arg in (string[])["-qefc", line, "/dev/null"])
                info.ArgumentList.Add(arg);
            info.Environment["TERM"] = "xterm-256color";
        }
        else
        {
            foreach (var arg in command[1..])
                info.ArgumentList.Add(arg);
        }
        foreach (var name in info.Environment.Keys.ToList())
        {
            if (name == "DATABASE_URL" || name.StartsWith("POSTGRES_", StringComparison.Ordinal) || name.StartsWith("PG", StringComparison.Ordinal) || name.StartsWith("FERRY_", StringComparison.Ordinal))
                info.Environment.Remove(name);
        }

        info.Environment["HOME"] = EmptyHome.Value;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return info;
    }

    /// <summary>VmHWM, the process's peak resident memory so far (0 once it has exited).</summary>
    static long PeakResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
