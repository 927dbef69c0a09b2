using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// libpq's connection parameters (the keywords of a keyword string, the names in a URL's query) applied to Npgsql
/// settings. Host and port lists are combined at <see cref="Finish"/>, as libpq pairs them. Errors name the
/// parameter, never its value: a value may be (part of) a password.
/// </summary>
internal sealed partial class LibpqParameters(NpgsqlConnectionStringBuilder settings, TargetTextError error)
{
    /// <summary>What Ferry maps onto Npgsql, in the order the error message lists them.</summary>
    internal static readonly string[] Supported =
    [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "sslmode", "sslcert", "sslkey", "sslrootcert",
        "sslpassword", "gssencmode", "channel_binding", "connect_timeout", "application_name", "fallback_application_name",
        "options", "client_encoding", "target_session_attrs", "load_balance_hosts", "keepalives", "keepalives_idle", "search_path",
    ];

    /// <summary>libpq's other parameters: known, so named when refused, but with no Npgsql equivalent Ferry sets.</summary>
    static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "service", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "sslnegotiation", "sslcompression",
        "sslcertmode", "sslkeylogfile", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "require_auth", "min_protocol_version",
        "max_protocol_version", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
        "replication", "scram_client_key", "scram_server_key", "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope",
    };

    readonly List<string> _hosts = [];
    readonly List<string> _ports = [];
    string? _hostAddress;
    string? _fallbackApplicationName;

    /// <summary>A password was given (not empty), so the text holding it is a secret.</summary>
    public bool PasswordGiven { get; private set; }

    /// <summary>A libpq keyword (exactly as libpq spells it, case included).</summary>
    public static bool IsKeyword(string name) => Array.IndexOf(Supported, name) >= 0 || Unsupported.Contains(name);

    /// <summary>A parameter whose value is a secret, or that a secret's text may have run into (a password with an unescaped separator).</summary>
    public static bool IsSecret(string name) => SecretName().IsMatch(name);

    [GeneratedRegex(@"pass(word)?$|^pwd$|^psw$|secret|_key$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    public void SetHosts(IEnumerable<string> hosts) => Replace(_hosts, hosts);

    public void SetPorts(IEnumerable<string> ports) => Replace(_ports, ports);

    static void Replace(List<string> list, IEnumerable<string> values)
    {
        list.Clear();
        list.AddRange(values);
    }

    public void SetPassword(string password)
    {
        // libpq ignores an empty password (postgres://user:@host): PGPASSWORD or ~/.pgpass may still supply one.
        if (password.Length == 0)
            return;
        settings.Password = password;
        PasswordGiven = true;
    }

    /// <summary>Sets one parameter; <paramref name="name"/> is known to be safe to show only when it is one of libpq's.</summary>
    public void Set(string name, string value)
    {
        var key = name.ToLowerInvariant();
        switch (key)
        {
            case "host":
                SetHosts(value.Split(','));
                break;
            case "hostaddr":
                _hostAddress = value;
                break;
            case "port":
                SetPorts(value.Split(','));
                break;
            case "dbname":
                settings.Database = value;
                break;
            case "user":
                settings.Username = value;
                break;
            case "password":
                SetPassword(value);
                break;
            case "passfile":
                settings.Passfile = value;
                break;
            case "sslmode":
                settings.SslMode = SslModeOf(value) ?? throw error.Value("sslmode", "is not one of disable, allow, prefer, require, verify-ca, verify-full");
                break;
            case "sslcert":
                settings.SslCertificate = value;
                break;
            case "sslkey":
                settings.SslKey = value;
                break;
            case "sslrootcert":
                settings.RootCertificate = value;
                break;
            case "sslpassword":
                settings.SslPassword = value;
                PasswordGiven |= value.Length > 0;
                break;
            case "gssencmode":
                settings.GssEncryptionMode = GssEncryptionModeOf(value) ?? throw error.Value("gssencmode", "is not one of disable, prefer, require");
                break;
            case "channel_binding":
                settings.ChannelBinding = value.ToLowerInvariant() switch
                {
                    "disable" => ChannelBinding.Disable,
                    "prefer" => ChannelBinding.Prefer,
                    "require" => ChannelBinding.Require,
                    _ => throw error.Value("channel_binding", "is not one of disable, prefer, require"),
                };
                break;
            case "connect_timeout":
                settings.Timeout = Seconds(value, "connect_timeout");
                break;
            case "application_name":
                settings.ApplicationName = value;
                break;
            case "fallback_application_name":
                _fallbackApplicationName = value;
                break;
            case "options":
                settings.Options = value;
                break;
            case "client_encoding":
                settings.ClientEncoding = value;
                break;
            case "target_session_attrs":
                try
                {
                    settings.TargetSessionAttributes = value;
                }
                catch (ArgumentException)
                {
                    throw error.Value("target_session_attrs", "is not one of any, read-write, read-only, primary, standby, prefer-standby");
                }
                break;
            case "load_balance_hosts":
                settings.LoadBalanceHosts = value switch
                {
                    "disable" => false,
                    "random" => true,
                    _ => throw error.Value("load_balance_hosts", "is not one of disable, random"),
                };
                break;
            case "keepalives":
                break; // Npgsql keeps TCP keepalives on its own; the interval comes from keepalives_idle.
            case "keepalives_idle":
                settings.KeepAlive = Seconds(value, "keepalives_idle");
                break;
            case "search_path":
                settings.SearchPath = value;
                break;
            default:
                throw Unsupported.Contains(key)
                    ? error.Problem($"the {error.Form}'s parameter '{key}' has no equivalent in Ferry's PostgreSQL driver (Npgsql); leave it out.")
                    : error.UnknownName(name, $"Ferry takes: {string.Join(", ", Supported)}.");
        }
    }

    /// <summary>Pairs hosts with ports as libpq does (one port for all hosts, or one per host) and applies the fallbacks.</summary>
    public void Finish()
    {
        if (_hosts.Count == 0 && _hostAddress is not null)
            _hosts.AddRange(_hostAddress.Split(','));
        foreach (var port in _ports)
        {
            if (port.Length > 0 && !IsPort(port))
                throw error.Problem($"the {error.Form}'s port is not a number from 1 to 65535.");
        }

        if (_ports.Count > 1 && _ports.Count != Math.Max(_hosts.Count, 1))
            throw error.Problem($"the {error.Form} gives {_ports.Count} ports for {Math.Max(_hosts.Count, 1)} hosts: give one port, or one per host.");
        if (_ports.Count == 1 && _ports[0].Length > 0)
            settings.Port = int.Parse(_ports[0], CultureInfo.InvariantCulture);
        if (_hosts.Count == 1 && _hosts[0].Length > 0)
            settings.Host = _hosts[0];
        else if (_hosts.Count > 1)
            settings.Host = string.Join(',', _hosts.Select((host, i) =>
            {
                var shown = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
                var port = _ports.Count > 1 ? _ports[i] : _ports.Count == 1 ? _ports[0] : "";
                return port.Length > 0 ? $"{shown}:{port}" : shown;
            }));
        if (settings.ApplicationName is null && _fallbackApplicationName is not null)
            settings.ApplicationName = _fallbackApplicationName;
    }

    internal static bool IsPort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;

    int Seconds(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw error.Value(name, "is not a whole number of seconds");

    /// <summary>libpq's sslmode as Npgsql's setting, or null.</summary>
    internal static SslMode? SslModeOf(string value) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => null,
    };

    /// <summary>libpq's gssencmode (disable, prefer, require) as Npgsql's setting, or null.</summary>
    internal static GssEncryptionMode? GssEncryptionModeOf(string value) => value.ToLowerInvariant() switch
    {
        "disable" => GssEncryptionMode.Disable,
        "prefer" => GssEncryptionMode.Prefer,
        "require" => GssEncryptionMode.Require,
        _ => null,
    };
}
