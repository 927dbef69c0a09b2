using Npgsql;

namespace Ferry.Connections;

/// <summary>Where a target's settings came from, in the order they are looked for.</summary>
public enum TargetOrigin
{
    /// <summary><c>--database</c> or <c>--to</c>.</summary>
    Argument,

    /// <summary>The selected environment's <c>database</c> in the project file (<c>ferry.yml</c>).</summary>
    ProjectEnvironment,

    /// <summary><c>DATABASE_URL</c>.</summary>
    DatabaseUrl,

    /// <summary><c>POSTGRES_HOST</c>, <c>POSTGRES_PORT</c>, <c>POSTGRES_DB</c>, <c>POSTGRES_USER</c>, <c>POSTGRES_PASSWORD</c>.</summary>
    PostgresVariables,

    /// <summary>libpq's <c>PGHOST</c>, <c>PGPORT</c>, <c>PGDATABASE</c>, <c>PGUSER</c>, <c>PGPASSWORD</c>.</summary>
    LibpqVariables,

    /// <summary>The managed local cluster (nothing else configured).</summary>
    LocalCluster,
}

/// <summary>A resolved PostgreSQL target: how to connect, and how to show it (never with its password).</summary>
public sealed class PostgresTarget
{
    readonly string _connectionString;

    internal PostgresTarget(NpgsqlConnectionStringBuilder settings, TargetOrigin origin, bool passwordInText = false)
    {
        PasswordInText = passwordInText;
        settings.ApplicationName ??= "ferry";
        // GSS encryption of a connection that never leaves the machine protects nothing, and asking for it (loading
        // the GSSAPI libraries, one more round trip) slows every first connection. 'require' still requires it.
        if (settings.GssEncryptionMode == GssEncryptionMode.Prefer && IsLocal(settings.Host ?? "localhost"))
            settings.GssEncryptionMode = GssEncryptionMode.Disable;
        SessionSettings.Apply(settings);
        _connectionString = settings.ConnectionString;
        Origin = origin;
        Host = settings.Host ?? "localhost";
        Port = settings.Port;
        Database = settings.Database ?? "";
        Username = settings.Username ?? "";
        Password = settings.Password;
        DisplayUrl = PostgresUrl.ToDisplayUrl(settings);
    }

    /// <summary>Every host is this machine: a loopback name or address, or a Unix-domain socket directory.</summary>
    internal static bool IsLocal(string hosts) => hosts.Split(',').All(part =>
    {
        var host = part.Trim();
        if (host.StartsWith('/') || host.StartsWith('@'))
            return true;
        if (host.StartsWith('[') && host.IndexOf(']') is var end and > 0)
            host = host[1..end];
        else if (host.Count(c => c == ':') == 1)
            host = host[..host.IndexOf(':')]; // host:port
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
    });

    /// <summary>Creates a target from a <c>postgres://</c> URL, a libpq keyword string or an Npgsql connection string.</summary>
    public static PostgresTarget Parse(string urlOrConnectionString, EnvironmentReader? environment = null) =>
        TargetResolver.FromText(urlOrConnectionString, TargetOrigin.Argument, environment ?? ProcessEnvironment.Reader);

    public TargetOrigin Origin { get; }

    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    public string Username { get; }

    internal string? Password { get; }

    /// <summary>The password was written in the target's text (URL, keyword or connection string), not taken from PGPASSWORD or ~/.pgpass.</summary>
    public bool PasswordInText { get; }

    /// <summary><c>postgres://user@host:port/db</c>, without the password.</summary>
    public string DisplayUrl { get; }

    /// <summary>The Npgsql connection string, password included: pass it to Npgsql, never print it.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>The same server with another database (used to create and drop databases).</summary>
    public PostgresTarget WithDatabase(string database) =>
        new(new NpgsqlConnectionStringBuilder(_connectionString) { Database = database }, Origin, PasswordInText);

    public NpgsqlDataSource CreateDataSource(Action<NpgsqlDataSourceBuilder>? configure = null)
    {
        var builder = new NpgsqlDataSourceBuilder(_connectionString);
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Opens a connection, turning a failure into one line naming host, port and database.</summary>
    public Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        OpenAsync(new NpgsqlConnection(_connectionString), cancellationToken);

    /// <summary>Opens a connection made for this target (e.g. by a data source from <see cref="CreateDataSource"/>), failures as above.</summary>
    internal async Task<NpgsqlConnection> OpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            await connection.DisposeAsync();
            throw ConnectionFailure(e);
        }
    }

    internal FerryException ConnectionFailure(Exception e)
    {
        var reason = e switch
        {
            PostgresException pg => pg.MessageText,
            NpgsqlException { InnerException: { } inner } when e.Message.StartsWith("Failed to connect", StringComparison.Ordinal) => inner.Message,
            _ => e.Message,
        };
        // PgBouncer (and other poolers) refuse startup parameters they do not know, and Ferry sends 'options' (SessionSettings).
        var hint = reason.Contains("unsupported startup parameter", StringComparison.OrdinalIgnoreCase)
            ? ". Ferry sets standard_conforming_strings through the startup parameter 'options': connect to PostgreSQL directly (not through the pooler), or add 'options' to the pooler's ignore_startup_parameters"
            : "";
        return new FerryException(
            $"Cannot connect to PostgreSQL at {Host}:{Port}, database '{Database}' as user '{Username}': {Redaction.RedactText(reason, Password)}{hint}",
            FailureKind.Configuration,
            e);
    }

    public override string ToString() => DisplayUrl;
}
