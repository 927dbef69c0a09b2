using System.Globalization;
using System.Text;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// Parses libpq connection URIs (<c>postgres://</c> and <c>postgresql://</c>) into Npgsql settings, and
/// renders settings back as a URL for display, without the password.
/// </summary>
internal static class PostgresUrl
{
    public static bool IsUrl(string text) =>
        text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses <c>postgres://[user[:password]@][host[:port][,host[:port]…]][/database][?param=value&amp;…]</c>.
    /// Components are percent-decoded; IPv6 hosts are written in brackets. What the URL leaves out keeps its
    /// value from <paramref name="defaults"/> (libpq fills those from the environment).
    /// </summary>
    public static NpgsqlConnectionStringBuilder Parse(string url, NpgsqlConnectionStringBuilder? defaults = null)
    {
        if (!IsUrl(url))
            throw new FerryException($"'{Redaction.RedactUrl(url)}' is not a PostgreSQL URL: it must start with postgres:// or postgresql://.");

        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = defaults ?? new NpgsqlConnectionStringBuilder();

        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        string? path = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            path = rest[(slash + 1)..];
            rest = rest[..slash];
        }

        // The userinfo ends at the last '@' (a raw '@' in a password is common enough to tolerate).
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
                builder.Username = Decode(user, "user name", url);
            if (colon >= 0)
                builder.Password = Decode(userInfo[(colon + 1)..], "password", url);
        }

        if (rest.Length > 0)
            ParseHosts(rest, builder, url);

        if (!string.IsNullOrEmpty(path))
            builder.Database = Decode(path, "database name", url);

        if (!string.IsNullOrEmpty(query))
        {
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                    throw new FerryException($"URL parameter '{pair}' in {Redaction.RedactUrl(url)} has no value; write it as name=value.");
                var name = Decode(pair[..eq], "parameter name", url);
                var value = Decode(pair[(eq + 1)..], $"value of parameter '{name}'", url);
                ApplyParameter(builder, name, value, url);
            }
        }

        return builder;
    }

    static void ParseHosts(string hostList, NpgsqlConnectionStringBuilder builder, string url)
    {
        var hosts = new List<string>();
        int? singlePort = null;
        var parts = hostList.Split(',');
        foreach (var part in parts)
        {
            string host;
            string? port = null;
            if (part.StartsWith('['))
            {
                var close = part.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                    throw new FerryException($"IPv6 host '{part}' in {Redaction.RedactUrl(url)} has no closing ']'.");
                host = part[1..close];
                var after = part[(close + 1)..];
                if (after.Length > 0)
                {
                    if (after[0] != ':')
                        throw new FerryException($"Unexpected '{after}' after IPv6 host [{host}] in {Redaction.RedactUrl(url)}.");
                    port = after[1..];
                }
            }
            else
            {
                var colon = part.LastIndexOf(':');
                host = colon >= 0 ? part[..colon] : part;
                port = colon >= 0 ? part[(colon + 1)..] : null;
            }

            host = Decode(host, "host", url);
            int? portNumber = null;
            if (!string.IsNullOrEmpty(port))
                portNumber = ParsePort(port, url);

            if (parts.Length == 1)
            {
                if (host.Length > 0)
                    builder.Host = host;
                singlePort = portNumber;
            }
            else
            {
                var shown = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
                hosts.Add(portNumber is { } p ? $"{shown}:{p}" : shown);
            }
        }

        if (parts.Length > 1)
            builder.Host = string.Join(',', hosts);
        else if (singlePort is { } sp)
            builder.Port = sp;
    }

    static int ParsePort(string text, string url)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FerryException($"Port '{text}' in {Redaction.RedactUrl(url)} is not a port number (1-65535).");
        return port;
    }

    static string Decode(string text, string what, string url)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw new FerryException($"The {what} in {Redaction.RedactUrl(url)} has an invalid percent-encoding.");
        }
    }

    /// <summary>libpq URL parameters and what they set in Npgsql.</summary>
    static void ApplyParameter(NpgsqlConnectionStringBuilder b, string name, string value, string url)
    {
        switch (name.ToLowerInvariant())
        {
            case "host":
                b.Host = value;
                break;
            case "port":
                b.Port = ParsePort(value, url);
                break;
            case "dbname":
                b.Database = value;
                break;
            case "user":
                b.Username = value;
                break;
            case "password":
                b.Password = value;
                break;
            case "passfile":
                b.Passfile = value;
                break;
            case "sslmode":
                b.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FerryException($"sslmode '{value}' in {Redaction.RedactUrl(url)} is not one of disable, allow, prefer, require, verify-ca, verify-full."),
                };
                break;
            case "sslcert":
                b.SslCertificate = value;
                break;
            case "sslkey":
                b.SslKey = value;
                break;
            case "sslrootcert":
                b.RootCertificate = value;
                break;
            case "sslpassword":
                b.SslPassword = value;
                break;
            case "connect_timeout":
                b.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                    ? t
                    : throw new FerryException($"connect_timeout '{value}' in {Redaction.RedactUrl(url)} is not a whole number of seconds.");
                break;
            case "application_name":
            case "fallback_application_name":
                b.ApplicationName = value;
                break;
            case "options":
                b.Options = value;
                break;
            case "client_encoding":
                b.ClientEncoding = value;
                break;
            case "target_session_attrs":
                b.TargetSessionAttributes = value;
                break;
            case "gssencmode":
                b.GssEncryptionMode = GssEncryptionModeOf(value, $"gssencmode '{value}' in {Redaction.RedactUrl(url)}");
                break;
            case "channel_binding":
                b.ChannelBinding = value.ToLowerInvariant() switch
                {
                    "disable" => ChannelBinding.Disable,
                    "prefer" => ChannelBinding.Prefer,
                    "require" => ChannelBinding.Require,
                    _ => throw new FerryException($"channel_binding '{value}' in {Redaction.RedactUrl(url)} is not one of disable, prefer, require."),
                };
                break;
            case "keepalives_idle":
                b.KeepAlive = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "keepalives":
                break; // Npgsql keeps TCP keepalives on its own; the interval comes from keepalives_idle.
            case "search_path":
                b.SearchPath = value;
                break;
            default:
                throw new FerryException($"Unknown parameter '{name}' in {Redaction.RedactUrl(url)}. Supported: sslmode, sslcert, sslkey, sslrootcert, gssencmode, connect_timeout, application_name, options, target_session_attrs, channel_binding, passfile, host, port, dbname, user, password.");
        }
    }

    /// <summary>libpq's gssencmode (disable, prefer, require) as Npgsql's setting; <paramref name="what"/> names the value in the error.</summary>
    internal static GssEncryptionMode GssEncryptionModeOf(string value, string what) => value.ToLowerInvariant() switch
    {
        "disable" => GssEncryptionMode.Disable,
        "prefer" => GssEncryptionMode.Prefer,
        "require" => GssEncryptionMode.Require,
        _ => throw new FerryException($"{what} is not one of disable, prefer, require."),
    };

    /// <summary>Percent-escapes a URL part; a plain name (the common case) is returned as it is, without loading Uri's escaper.</summary>
    static string Escape(string part)
    {
        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
                return Uri.EscapeDataString(part);
        }

        return part;
    }

    /// <summary>Renders settings as a URL for display: never with the password.</summary>
    public static string ToDisplayUrl(NpgsqlConnectionStringBuilder b)
    {
        var sb = new StringBuilder("postgres://");
        if (!string.IsNullOrEmpty(b.Username))
            sb.Append(Escape(b.Username)).Append('@');
        var host = b.Host ?? "localhost";
        if (host.Contains(',', StringComparison.Ordinal))
        {
            sb.Append(host);
        }
        else
        {
            sb.Append(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host);
            sb.Append(':').Append(b.Port.ToString(CultureInfo.InvariantCulture));
        }

        sb.Append('/');
        if (!string.IsNullOrEmpty(b.Database))
            sb.Append(Escape(b.Database));
        if (b.SslMode != SslMode.Prefer)
            sb.Append("?sslmode=").Append(b.SslMode switch
            {
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                var m => m.ToString().ToLowerInvariant(),
            });
        return sb.ToString();
    }
}
