using System.Net.Sockets;
using Ferry.Connections;
using Npgsql;

namespace Ferry.Tests.Connections;

/// <summary>What counts as the target going away (retried, and never "a bug in Ferry"), and what does not.</summary>
public sealed class ConnectionLossTests
{
    static PostgresException Server(string sqlState, string message) => new(message, "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("57P01", "terminating connection due to administrator command", "the server closed the connection")]
    [InlineData("57P02", "terminating connection because of crash of another server process", "the server is restarting")]
    [InlineData("57P03", "the database system is starting up", "the server is starting up or shutting down")]
    [InlineData("53300", "sorry, too many clients already", "the server refuses new connections")]
    [InlineData("08006", "connection failure", "the connection failed")]
    public void Server_side_losses_say_what_happened_with_the_code(string sqlState, string message, string says)
    {
        var described = ConnectionLoss.Describe(Server(sqlState, message));

        Assert.NotNull(described);
        Assert.Contains(says, described, StringComparison.Ordinal);
        Assert.Contains($"({sqlState}: {message})", described, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_sockets_are_losses_wherever_Npgsql_or_Ferry_wraps_them()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        var broken = new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe", new SocketException((int)SocketError.ConnectionReset)));

        Assert.Equal("the server refuses connections (it is not running, or restarting)", ConnectionLoss.Describe(refused));
        Assert.Equal("the connection was reset", ConnectionLoss.Describe(broken));
        Assert.Equal("the connection was reset", ConnectionLoss.Describe(new FerryException("Cannot connect to PostgreSQL at …", broken)));
        Assert.Equal("the server closed the connection", ConnectionLoss.Describe(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
    }

    [Fact]
    public void Refusals_files_and_given_up_retries_are_not_losses()
    {
        Assert.Null(ConnectionLoss.Describe(Server("23505", "duplicate key value violates unique constraint")));
        Assert.Null(ConnectionLoss.Describe(Server("28P01", "password authentication failed for user \"app\"")));
        Assert.Null(ConnectionLoss.Describe(new IOException("No space left on device")));
        Assert.Null(ConnectionLoss.Describe(new InvalidOperationException("Connection is not open")));
        Assert.Null(ConnectionLoss.Describe(new TargetLostException("loading public.t (all rows)", "the connection was reset", 6, TimeSpan.FromSeconds(23.5))));
    }

    [Fact]
    public void The_policy_waits_longer_each_time_up_to_its_most()
    {
        var policy = RetryPolicy.Default;

        Assert.Equal([0.5, 1, 2, 4, 8, 8], Enumerable.Range(1, policy.Retries).Select(r => policy.DelayBefore(r).TotalSeconds));
    }
}
