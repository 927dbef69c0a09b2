using System.Net;
using System.Net.Sockets;

namespace Ferry.Tests.Infrastructure;

/// <summary>A fact that needs root (the server then runs as postgres): skipped, saying why, otherwise (never passed silently).</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
            Skip = "needs root: only then does the local cluster run its server as the postgres user";
    }
}

/// <summary>A fact that needs an IPv6 loopback (::1) to listen on: skipped, saying why, where there is none.</summary>
public sealed class Ipv6LoopbackFactAttribute : FactAttribute
{
    static readonly Lazy<string?> MissingReason = new(FindMissing);

    public Ipv6LoopbackFactAttribute()
    {
        if (MissingReason.Value is { } reason)
            Skip = reason;
    }

    static string? FindMissing()
    {
        if (!Socket.OSSupportsIPv6)
            return "the OS does not support IPv6";
        using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        try
        {
            listener.Start();
            return null;
        }
        catch (SocketException e)
        {
            return $"no IPv6 loopback on this machine: listening on [::1] failed ({e.SocketErrorCode})";
        }
        finally
        {
            listener.Stop();
        }
    }
}
