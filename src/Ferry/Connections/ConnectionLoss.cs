using System.Net.Sockets;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// Failures that are the target going away or not taking connections for now: a backend terminated
/// (<c>pg_terminate_backend</c>), the server shutting down, crashing or starting up, a connection reset or refused, too
/// many connections. The environment did it, not Ferry, and work may get past it on a new connection. A statement the
/// server refused for what it is (bad data, a missing table) is not one of them.
/// </summary>
public static class ConnectionLoss
{
    /// <summary>What happened, in words, when <paramref name="failure"/> (or one inside it) is the connection or the server going away; else null.</summary>
    public static string? Describe(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TargetLostException:
                    return null; // retried already, and given up
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Select(Describe).FirstOrDefault(d => d is not null);
                case TransactionInDoubtException:
                    return e.Message;
                case PostgresException pg:
                    return Describe(pg);
                case NpgsqlException npgsql:
                    return Describe(npgsql);
                case SocketException socket:
                    return Describe(socket);
            }
        }

        return null;
    }

    static string? Describe(PostgresException e)
    {
        var said = $"({e.SqlState}: {e.MessageText})";
        return e.SqlState switch
        {
            PostgresErrorCodes.AdminShutdown => "the server closed the connection: an administrator ended the session, or the server is shutting down " + said,
            PostgresErrorCodes.CrashShutdown => "the server closed the connection: another server process crashed and the server is restarting " + said,
            PostgresErrorCodes.CannotConnectNow => "the server is starting up or shutting down " + said,
            "57P05" => "the server closed the idle connection " + said, // idle_session_timeout
            PostgresErrorCodes.TooManyConnections => "the server refuses new connections " + said,
            _ when e.SqlState.StartsWith("08", StringComparison.Ordinal) => "the connection failed " + said,
            _ => null,
        };
    }

    static string? Describe(NpgsqlException e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
                return Describe(socket); // the most precise word, however deep
        }

        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case EndOfStreamException:
                    return "the server closed the connection";
                case IOException:
                    return "the connection broke: " + inner.Message;
                case TimeoutException:
                    return "connecting timed out";
            }
        }

        // Npgsql's own word for a connection it found broken ("Exception while reading from stream", …).
        return e.IsTransient ? "the connection broke: " + e.Message : null;
    }

    static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "the server refuses connections (it is not running, or restarting)",
        SocketError.ConnectionReset => "the connection was reset",
        SocketError.ConnectionAborted or SocketError.Shutdown => "the server closed the connection",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => "the server cannot be reached: " + e.Message,
        SocketError.TimedOut => "the connection timed out",
        _ => "the connection failed: " + e.Message,
    };
}

/// <summary>A transaction whose COMMIT was sent on a connection that was then lost, and which the server has not finished yet.</summary>
internal sealed class TransactionInDoubtException(long transactionId)
    : Exception($"the server is still ending the lost session's transaction {transactionId}");
