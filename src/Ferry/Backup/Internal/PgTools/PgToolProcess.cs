using System.Diagnostics;
using System.Text;
using Ferry.Connections;

namespace Ferry.Backup.Internal.PgTools;

/// <summary>
/// Runs pg_dump or pg_restore as a child process: connection settings in its environment, its standard output to a
/// reader when it writes one (<c>-f -</c>), its standard error kept (bounded) and shown redacted, with the exit code,
/// when it fails. Cancellation kills it.
/// </summary>
internal static class PgToolProcess
{
    /// <summary>How much of the tool's standard error is kept for the failure message.</summary>
    const int KeptErrorChars = 16 * 1024;

    /// <summary>
    /// Runs <paramref name="program"/> to the end; <paramref name="readOutput"/> consumes its standard output (discarded
    /// when null). A non-zero exit is a <see cref="FerryException"/> naming the program, the exit code and what it said.
    /// </summary>
    public static async Task RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        string? secret,
        Func<Stream, CancellationToken, Task>? readOutput,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (variable, value) in environment)
        {
            if (value is null)
                info.Environment.Remove(variable);
            else
                info.Environment[variable] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FerryException($"Cannot run {program}: {e.Message}", FailureKind.Configuration, e);
        }

        var name = Path.GetFileName(program);
        process.StandardInput.Close();
        var errors = new BoundedText(KeptErrorChars);
        await using var kill = cancellationToken.Register(() => Kill(process));
        try
        {
            var errorTask = DrainAsync(process.StandardError, errors);
            var outputTask = readOutput is null
                ? process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None)
                : ReadThenDrainAsync(process.StandardOutput.BaseStream, readOutput, cancellationToken);
            try
            {
                await outputTask;
            }
            catch
            {
                Kill(process); // The reader failed (the target refused a row): the tool has no one to write to.
                throw;
            }
            finally
            {
                await errorTask;
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{name} was stopped: the run was cancelled.", cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            var said = errors.ToString().Trim();
            throw new FerryException(
                $"{name} failed (exit {process.ExitCode}){(said.Length == 0 ? ", saying nothing" : ":\n" + Redaction.RedactText(said, secret))}",
                FailureKind.Failed);
        }
    }

    /// <summary>The reader consumes what it needs; what is left is drained so the tool is never blocked on a full pipe.</summary>
    static async Task ReadThenDrainAsync(Stream output, Func<Stream, CancellationToken, Task> readOutput, CancellationToken cancellationToken)
    {
        await readOutput(output, cancellationToken);
        await output.CopyToAsync(Stream.Null, cancellationToken);
    }

    static async Task DrainAsync(StreamReader reader, BoundedText into)
    {
        while (await reader.ReadLineAsync() is { } line)
            into.AppendLine(line);
    }

    static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It had already exited.
        }
    }

    /// <summary>The first lines of a tool's messages up to a size, then how many lines were left out.</summary>
    sealed class BoundedText(int limit)
    {
        readonly StringBuilder _text = new();
        int _omitted;

        public void AppendLine(string line)
        {
            if (_text.Length + line.Length < limit)
                _text.AppendLine(line);
            else
                _omitted++;
        }

        public override string ToString() => _omitted == 0 ? _text.ToString() : $"{_text}… ({_omitted} more lines)";
    }
}
