using System.Globalization;
using Npgsql;

namespace Ferry.Backup.Internal.PgTools;

/// <summary>
/// The libpq environment (<c>PGHOST</c>, <c>PGPASSWORD</c>, …) that connects pg_dump / pg_restore where the target's
/// Npgsql connection string connects: never their command line, which any user sees in <c>ps</c>.
/// </summary>
internal static class PgToolEnvironment
{
    /// <summary>
    /// The variables to set, and the inherited <c>PG*</c> ones to remove (value null): a PGSERVICE or PGHOSTADDR of
    /// Ferry's own environment would otherwise send the tools somewhere other than the target.
    /// </summary>
    public static Dictionary<string, string?> For(string connectionString, IEnumerable<string> inheritedNames)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(settings.SslPassword))
        {
            throw new FerryException(
                "A file backup runs pg_dump / pg_restore, and libpq takes a client key's passphrase (sslpassword) only on their command line, where other users see it: " +
                "use a client key without a passphrase for this target, or an in-database backup (leave out --file).",
                FailureKind.Configuration);
        }

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in inheritedNames.Where(n => n.StartsWith("PG", StringComparison.Ordinal)))
            environment[name] = null;
        var (hosts, ports) = HostsAndPorts(settings.Host ?? "localhost", settings.Port);
        environment["PGHOST"] = hosts;
        environment["PGPORT"] = ports;
        Set(environment, "PGDATABASE", settings.Database);
        Set(environment, "PGUSER", settings.Username);
        Set(environment, "PGPASSWORD", settings.Password);
        Set(environment, "PGPASSFILE", settings.Passfile);
        environment["PGSSLMODE"] = SslMode(settings.SslMode);
        Set(environment, "PGSSLROOTCERT", settings.RootCertificate);
        Set(environment, "PGSSLCERT", settings.SslCertificate);
        Set(environment, "PGSSLKEY", settings.SslKey);
        environment["PGGSSENCMODE"] = settings.GssEncryptionMode.ToString().ToLowerInvariant();
        Set(environment, "PGKRBSRVNAME", settings.KerberosServiceName);
        Set(environment, "PGAPPNAME", settings.ApplicationName);
        Set(environment, "PGOPTIONS", settings.Options);
        Set(environment, "PGCLIENTENCODING", settings.ClientEncoding);
        environment["PGCONNECT_TIMEOUT"] = settings.Timeout.ToString(CultureInfo.InvariantCulture);
        if (settings.TargetSessionAttributes is { Length: > 0 } attributes)
            environment["PGTARGETSESSIONATTRS"] = attributes;
        return environment;
    }

    static void Set(Dictionary<string, string?> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            environment[name] = value;
    }

    static string SslMode(Npgsql.SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Npgsql's <c>Host=a:5433,b</c> as libpq's <c>PGHOST=a,b</c> and <c>PGPORT=5433,5432</c>, which it pairs by position;
    /// a Unix-socket folder and a bracketed IPv6 address keep their colons.
    /// </summary>
    internal static (string Hosts, string Ports) HostsAndPorts(string hostList, int defaultPort)
    {
        var hosts = new List<string>();
        var ports = new List<string>();
        var port = defaultPort.ToString(CultureInfo.InvariantCulture);
        foreach (var part in hostList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (host, own) = part switch
            {
                _ when part.StartsWith('/') || part.StartsWith('@') => (part, null),
                ['[', ..] when part.IndexOf(']') is var end and > 0 => (part[1..end], end + 2 < part.Length && part[end + 1] == ':' ? part[(end + 2)..] : null),
                _ when part.Count(c => c == ':') == 1 => (part[..part.IndexOf(':')], part[(part.IndexOf(':') + 1)..]),
                _ => (part, (string?)null),
            };
            hosts.Add(host);
            ports.Add(own ?? port);
        }

        return (string.Join(',', hosts), string.Join(',', ports));
    }
}
