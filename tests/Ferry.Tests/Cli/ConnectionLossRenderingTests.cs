using System.CommandLine;
using System.Net.Sockets;
using Ferry.Cli;
using Npgsql;

namespace Ferry.Tests.Cli;

/// <summary>The target going away under any command is said in one line, exit 1: never a stack trace or "a bug in Ferry".</summary>
public sealed class ConnectionLossRenderingTests
{
    static async Task<(int Exit, string Stderr)> RunThrowing(Exception failure)
    {
        var stderr = new StringWriter();
        var host = new CliHost(new StringWriter(), stderr, _ => null, Path.GetTempPath(), false, false);
        var command = new Command("work");
        command.SetHandler(host, (_, _) => throw failure);
        var root = new RootCommand { command };
        var exit = await root.Parse(["work"]).InvokeAsync(new InvocationConfiguration { Error = stderr, EnableDefaultExceptionHandler = false });
        return (exit, stderr.ToString());
    }

    [Fact]
    public async Task A_terminated_session_is_one_line_saying_what_happened()
    {
        var (exit, stderr) = await RunThrowing(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"));

        Assert.Equal(1, exit);
        Assert.Equal(
            "error: lost the connection to PostgreSQL: the server closed the connection: an administrator ended the session, or the server is shutting down " +
            "(57P01: terminating connection due to administrator command). Run the command again when the server is back.\n",
            stderr);
    }

    [Fact]
    public async Task A_broken_socket_is_not_a_bug_in_Ferry()
    {
        var (exit, stderr) = await RunThrowing(new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe", new SocketException((int)SocketError.ConnectionReset))));

        Assert.Equal(1, exit);
        Assert.StartsWith("error: lost the connection to PostgreSQL: the connection was reset.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bug in Ferry", stderr, StringComparison.Ordinal);
    }
}
