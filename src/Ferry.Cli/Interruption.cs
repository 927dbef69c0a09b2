using System.Runtime.InteropServices;

namespace Ferry.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM cancel the run from the moment the process starts: the command stops at its next
/// step, rolls back what is open, says "cancelled" and exits 130. A second signal, or a command still running
/// <see cref="Grace"/> after the first, exits at once (130 for SIGINT, 143 for SIGTERM, as shells report them).
/// </summary>
/// <remarks>
/// System.CommandLine's own handler is registered only after the command's action has started and first yielded;
/// a signal in between killed the process without a word (seen under load: exit 130, nothing on stderr).
/// </remarks>
internal sealed class Interruption : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    readonly CancellationTokenSource _cancel = new();
    readonly TextWriter _error;
    readonly PosixSignalRegistration _interrupt;
    readonly PosixSignalRegistration _terminate;
    int _signals;

    public Interruption(TextWriter error)
    {
        _error = error;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancel.Token;

    void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var exitCode = context.Signal == PosixSignal.SIGINT ? ExitCodes.Cancelled : ExitCodes.Terminated;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            _error.WriteLine("interrupted again: stopping now");
            Environment.Exit(exitCode);
        }

        _ = Task.Delay(Grace).ContinueWith(_ =>
        {
            _error.WriteLine($"still stopping after {Grace.TotalSeconds:0} s: stopping now");
            Environment.Exit(exitCode);
        }, TaskScheduler.Default);
        try
        {
            _cancel.Cancel();
        }
        catch (AggregateException)
        {
            // A cancellation callback failed; the run still sees the token cancelled and stops.
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
