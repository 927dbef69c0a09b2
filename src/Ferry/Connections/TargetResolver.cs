using System.Globalization;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// Finds the PostgreSQL target, first match wins: an explicit URL or connection string; the selected environment's
/// <c>database</c> in the project file; <c>DATABASE_URL</c>;
/// <c>POSTGRES_*</c>; libpq's <c>PG*</c>; otherwise none, meaning the managed local cluster. Passwords missing
/// from the first four are looked up in <c>~/.pgpass</c> (or <c>PGPASSFILE</c>), as libpq does.
/// </summary>
public static class TargetResolver
{
    public const int DefaultPort = 5432;

    /// <summary>
    /// Returns the configured target, or null when nothing is configured (use the local cluster).
    /// <paramref name="argumentName"/> names where <paramref name="explicitTarget"/> was given (<c>--to</c>), for errors.
    /// </summary>
    public static PostgresTarget? Resolve(string? explicitTarget, EnvironmentReader environment, string? argumentName = null, Project.ProjectEnvironment? project = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitTarget))
            return FromText(explicitTarget, TargetOrigin.Argument, environment, argumentName is null ? "Invalid target" : $"Invalid target ({argumentName})");

        // The environment's database: its references read now, before any connection; never shown resolved.
        if (project?.Database is { } database)
            return FromText(database.Resolve(environment), TargetOrigin.ProjectEnvironment, environment, $"Invalid target ({database.Origin})");

        if (environment.NonEmpty("DATABASE_URL") is { } databaseUrl)
            return FromText(databaseUrl, TargetOrigin.DatabaseUrl, environment, "Invalid target (DATABASE_URL)");

        if (FromPostgresVariables(environment) is { } fromPostgres)
            return fromPostgres;

        if (FromLibpqVariables(environment) is { } fromLibpq)
            return fromLibpq;

        return null;
    }

    /// <summary>
    /// The warning for a password written in a command-line option (<paramref name="option"/>): other users of the
    /// machine see it in <c>ps</c> for the whole run.
    /// </summary>
    public static string CommandLinePasswordWarning(string option) =>
        $"the password in {option} is visible to other users of this machine (ps, /proc) for the whole run: " +
        $"leave it out of {option} and give it in PGPASSWORD or ~/.pgpass (or the whole URL in DATABASE_URL).";

    /// <summary>The warning for a password written in a PostgreSQL source on the command line (PG* variables name the target, not the source).</summary>
    public static string SourcePasswordWarning() =>
        "the password in SOURCE is visible to other users of this machine (ps, /proc) for the whole run: " +
        "leave it out of SOURCE and put it in ~/.pgpass (or the file PGPASSFILE names), where the source's password is looked up.";

    /// <summary>A target written as a URL, a keyword string or a connection string; errors start with <paramref name="label"/>.</summary>
    internal static PostgresTarget FromText(string text, TargetOrigin origin, EnvironmentReader environment, string label = "Invalid target")
    {
        var parsed = TargetText.Parse(text.Trim(), label, () =>
        {
            var defaults = new NpgsqlConnectionStringBuilder();
            ApplyLibpqDefaults(defaults, environment);
            return defaults;
        });
        return Complete(parsed.Settings, origin, environment, label, parsed.PasswordGiven);
    }

    /// <summary>
    /// A PostgreSQL source, written as a URL, a keyword string or a connection string: what the text leaves out is
    /// libpq's built-in default, never a <c>PG*</c> variable (those name the target), and a missing password is looked
    /// up in <c>~/.pgpass</c>. Errors say "Invalid source" and never show the text.
    /// </summary>
    internal static PostgresTarget FromSourceText(string text, EnvironmentReader environment)
    {
        var parsed = TargetText.Parse(text.Trim(), "Invalid source", () => new NpgsqlConnectionStringBuilder());
        return Complete(parsed.Settings, TargetOrigin.Argument, environment, "Invalid source", parsed.PasswordGiven);
    }

    static PostgresTarget? FromPostgresVariables(EnvironmentReader env)
    {
        var host = env.NonEmpty("POSTGRES_HOST");
        var user = env.NonEmpty("POSTGRES_USER");
        var database = env.NonEmpty("POSTGRES_DB");
        var port = env.NonEmpty("POSTGRES_PORT");
        // POSTGRES_PASSWORD alone configures a server container, not a client: it does not select a target.
        if (host is null && user is null && database is null && port is null)
            return null;
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = host ?? "localhost",
            Port = port is null ? DefaultPort : ParsePort(port, "POSTGRES_PORT"),
            Username = user ?? "postgres",
            Password = env.NonEmpty("POSTGRES_PASSWORD"),
        };
        settings.Database = database ?? settings.Username;
        return Complete(settings, TargetOrigin.PostgresVariables, env);
    }

    static PostgresTarget? FromLibpqVariables(EnvironmentReader env)
    {
        if (env.NonEmpty("PGHOST") is null && env.NonEmpty("PGHOSTADDR") is null && env.NonEmpty("PGPORT") is null &&
            env.NonEmpty("PGDATABASE") is null && env.NonEmpty("PGUSER") is null)
            return null;
        var settings = new NpgsqlConnectionStringBuilder();
        ApplyLibpqDefaults(settings, env);
        return Complete(settings, TargetOrigin.LibpqVariables, env);
    }

    /// <summary>What libpq takes from the environment; a URL's own components then override these.</summary>
    static void ApplyLibpqDefaults(NpgsqlConnectionStringBuilder s, EnvironmentReader env)
    {
        s.Host = env.NonEmpty("PGHOST") ?? env.NonEmpty("PGHOSTADDR");
        if (env.NonEmpty("PGPORT") is { } port)
            s.Port = ParsePort(port, "PGPORT");
        s.Database = env.NonEmpty("PGDATABASE");
        s.Username = env.NonEmpty("PGUSER");
        s.Password = env.NonEmpty("PGPASSWORD");
        if (env.NonEmpty("PGSSLMODE") is { } sslMode)
            s.SslMode = Enum.TryParse<SslMode>(sslMode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                ? mode
                : throw new FerryException($"PGSSLMODE='{sslMode}' is not one of disable, allow, prefer, require, verify-ca, verify-full.");
        if (env.NonEmpty("PGGSSENCMODE") is { } gssEncMode)
            s.GssEncryptionMode = LibpqParameters.GssEncryptionModeOf(gssEncMode)
                ?? throw new FerryException($"PGGSSENCMODE='{gssEncMode}' is not one of disable, prefer, require.");
        if (env.NonEmpty("PGAPPNAME") is { } app)
            s.ApplicationName = app;
        if (env.NonEmpty("PGCONNECT_TIMEOUT") is { } timeout)
            s.Timeout = int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw new FerryException($"PGCONNECT_TIMEOUT='{timeout}' is not a whole number of seconds.");
    }

    static PostgresTarget Complete(NpgsqlConnectionStringBuilder s, TargetOrigin origin, EnvironmentReader env, string label = "Invalid target", bool passwordInText = false)
    {
        if (string.IsNullOrEmpty(s.Host))
            s.Host = "localhost";
        if (string.IsNullOrEmpty(s.Username))
            s.Username = Environment.UserName;
        if (string.IsNullOrEmpty(s.Database))
            s.Database = s.Username;
        if (string.IsNullOrEmpty(s.Password) && !s.Host.Contains(',', StringComparison.Ordinal) &&
            PgPassFile.DefaultPath(env) is { } passfile &&
            PgPassFile.Lookup(passfile, s.Host, s.Port, s.Database, s.Username) is { } password)
            s.Password = password;
        Validate(s, label);
        return new PostgresTarget(s, origin, passwordInText);
    }

    /// <summary>
    /// Npgsql checks some settings together only when a data source is built (Pooling off with Multiplexing, pool
    /// sizes): checked here, so that a bad combination is a configuration error before anything runs.
    /// </summary>
    static void Validate(NpgsqlConnectionStringBuilder settings, string label)
    {
        try
        {
            using var dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        }
        catch (ArgumentException e)
        {
            throw new FerryException($"{label}: Npgsql refuses these settings together: {Redaction.RedactText(e.Message, settings.Password)}");
        }
    }

    static int ParsePort(string text, string variable) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FerryException($"{variable}='{text}' is not a port number (1-65535).");
}
