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
    /// Parses <c>postgres://[user[:password]@][host[:port][,host[:port]…]][/database][?param=value&amp;…]</c> as libpq
    /// does: the user info ends at the first '@' before any '/' (Ferry also takes a raw '@' in the password, up to the
    /// last '@' before the host), so a password may hold '?', '#' and ':'; components are percent-decoded; IPv6
    /// hosts are written in brackets. What the URL leaves out keeps its value from <paramref name="defaults"/> (libpq
    /// fills those from the environment). Errors start with <paramref name="label"/> and never show the URL.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Parse(string url, NpgsqlConnectionStringBuilder? defaults = null, string label = "Invalid target") =>
        Parse(url, defaults ?? new NpgsqlConnectionStringBuilder(), label, out _);

    internal static NpgsqlConnectionStringBuilder Parse(string url, NpgsqlConnectionStringBuilder builder, string label, out bool passwordGiven)
    {
        var error = new TargetTextError(label, "URL");
        if (!IsUrl(url))
            throw error.Problem("not a PostgreSQL URL: it must start with postgres:// or postgresql://.");
        var parameters = new LibpqParameters(builder, error);
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];

        var userInfoEnd = rest.AsSpan().IndexOfAny('@', '/');
        if (userInfoEnd >= 0 && rest[userInfoEnd] == '@')
        {
            // A raw '@' in a password is common enough to tolerate: the host starts after the last '@' before a '/' or '?'.
            for (var i = userInfoEnd + 1; i < rest.Length && rest[i] is not ('/' or '?'); i++)
            {
                if (rest[i] == '@')
                    userInfoEnd = i;
            }

            var userInfo = rest[..userInfoEnd];
            rest = rest[(userInfoEnd + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
                builder.Username = Decode(user, "user name", error);
            if (colon >= 0)
                parameters.SetPassword(Decode(userInfo[(colon + 1)..], "password", error));
        }

        var netlocEnd = rest.AsSpan().IndexOfAny('/', '?');
        var netloc = netlocEnd >= 0 ? rest[..netlocEnd] : rest;
        rest = netlocEnd >= 0 ? rest[netlocEnd..] : "";
        if (netloc.Length > 0)
            ParseHosts(netloc, parameters, error);

        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        if (rest.Length > 1)
        {
            // A '/' in the password ends the user info early ("postgres://user:1/ss@host/db" is host "user", port 1,
            // database "ss@host/db"): shown in messages, that database name would show the password.
            if (rest.Contains('@', StringComparison.Ordinal))
                throw error.Structure("the URL has an '@' after the host, in the database name (a database name holding '@' is written %40)");
            builder.Database = Decode(rest[1..], "database name", error);
        }

        if (!string.IsNullOrEmpty(query))
            ParseQuery(query, parameters, error);
        parameters.Finish();
        passwordGiven = parameters.PasswordGiven;
        return builder;
    }

    static void ParseQuery(string query, LibpqParameters parameters, TargetTextError error)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                var name = TryDecode(pair) ?? "";
                throw error.Showable(name) || LibpqParameters.IsKeyword(name)
                    ? error.Problem($"the URL's parameter '{name}' has no value; write parameters as name=value.")
                    : error.Structure("the URL has a parameter without '=' (write parameters as name=value)");
            }

            if (eq == 0)
                throw error.Structure("the URL has a parameter without a name before '='");
            var key = Decode(pair[..eq], "parameter name", error);
            var value = Decode(pair[(eq + 1)..], LibpqParameters.IsKeyword(key) ? $"{key} parameter" : "parameter value", error);
            // libpq takes the JDBC spelling ssl=true for sslmode=require.
            if (key == "ssl" && value == "true")
                (key, value) = ("sslmode", "require");
            parameters.Set(key, value);
            error.AfterSecret |= LibpqParameters.IsSecret(key) || Redaction.MayHoldPassword(value);
        }
    }

    static void ParseHosts(string hostList, LibpqParameters parameters, TargetTextError error)
    {
        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (var part in hostList.Split(','))
        {
            string host;
            var port = "";
            if (part.StartsWith('['))
            {
                var close = part.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                    throw error.Structure("an IPv6 host in the URL has no closing ']'");
                host = part[1..close];
                var after = part[(close + 1)..];
                if (after.Length > 0)
                {
                    if (after[0] != ':')
                        throw error.Structure("an IPv6 host in the URL is followed by something other than :PORT");
                    port = after[1..];
                }
            }
            else
            {
                var colon = part.LastIndexOf(':');
                host = colon >= 0 ? part[..colon] : part;
                port = colon >= 0 ? part[(colon + 1)..] : "";
            }

            if (port.Length > 0 && !LibpqParameters.IsPort(port))
                throw error.Structure("the URL's port is not a number from 1 to 65535");
            hosts.Add(Decode(host, "host", error));
            ports.Add(port);
        }

        parameters.SetHosts(hosts);
        if (ports.Any(p => p.Length > 0))
            parameters.SetPorts(ports);
    }

    /// <summary>Percent-decodes a URL part as libpq does: every '%' starts a two-digit escape, %00 is refused, the bytes are UTF-8.</summary>
    static string Decode(string text, string what, TargetTextError error) =>
        TryDecode(text) ?? throw error.Problem($"the {what} in the URL has an invalid percent-escape (write '%' itself as %25; %00 and bytes that are not UTF-8 are refused).");

    static string? TryDecode(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
            return text;
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
                continue;
            }

            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b) || b == 0)
                return null;
            bytes.Add(b);
            i += 2;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

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
