using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ferry.Tests.Infrastructure;

/// <summary>
/// The ferry CLI as a real process (<c>dotnet Ferry.Cli.dll …</c>, clean environment), its output read as it comes,
/// for tests that signal or kill it at a chosen moment. Killed when disposed, if still running.
/// </summary>
public sealed class FerryProcess : IAsyncDisposable
{
    /// <summary>A guard against a hang, not a timing expectation: long enough for a loaded machine.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    readonly Process _process;
    readonly StringBuilder _stdout = new();
    readonly StringBuilder _stderr = new();
    readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _streamsOpen = 2;

    FerryProcess(string workingDirectory, string[] args)
    {
        _process = new Process { StartInfo = CliRunner.StartInfo(["dotnet", Path.Combine(AppContext.BaseDirectory, "Ferry.Cli.dll"), .. args], null, workingDirectory) };
        _process.OutputDataReceived += (_, e) => Received(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Received(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static FerryProcess Start(string workingDirectory, params string[] args) => new(workingDirectory, args);

    public int Id => _process.Id;

    /// <summary>It ended, and all its output is read.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    void Received(StringBuilder output, string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _streamsOpen) == 0)
                _exited.TrySetResult();
            return;
        }

        lock (output)
            output.AppendLine(line);
    }

    /// <summary>Waits until stderr holds <paramref name="text"/>; false when the process ended first.</summary>
    public async Task<bool> WaitForStderrAsync(string text)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_exited.Task.IsCompleted)
                return Stderr.Contains(text, StringComparison.Ordinal);
            await Task.Delay(50, guard.Token);
        }

        return true;
    }

    /// <summary>Polls <paramref name="condition"/> (a database query, say) until it holds; throws after <see cref="Guard"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting until {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>, <c>KILL</c>) with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>kill -9, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        await SignalAsync("KILL");
        await ExitAsync();
    }

    /// <summary>Waits for the process to end (within <see cref="Guard"/>); its exit code and all its output.</summary>
    public async Task<CliResult> ExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Guard);
        await _exited.Task.WaitAsync(Guard);
        lock (_stdout)
            return new CliResult(_process.ExitCode, _stdout.ToString(), Stderr);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
