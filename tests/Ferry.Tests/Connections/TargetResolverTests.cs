using Ferry.Connections;
using Npgsql;

namespace Ferry.Tests.Connections;

public sealed class TargetResolverTests : IDisposable
{
    readonly string _home = Directory.CreateTempSubdirectory("ferry-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    EnvironmentReader Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        map.TryAdd("HOME", _home);
        return name => map.GetValueOrDefault(name);
    }

    static readonly (string, string)[] Everything =
    [
        ("DATABASE_URL", "postgres://from-database-url/db1"),
        ("POSTGRES_HOST", "from-postgres-vars"),
        ("POSTGRES_DB", "db2"),
        ("PGHOST", "from-pg-vars"),
        ("PGDATABASE", "db3"),
    ];

    [Fact]
    public void Explicit_target_wins_over_everything()
    {
        var target = TargetResolver.Resolve("postgres://from-flag/db0", Env(Everything));
        Assert.Equal("from-flag", target!.Host);
        Assert.Equal(TargetOrigin.Argument, target.Origin);
    }

    [Fact]
    public void Database_url_comes_second()
    {
        var target = TargetResolver.Resolve(null, Env(Everything));
        Assert.Equal("from-database-url", target!.Host);
        Assert.Equal(TargetOrigin.DatabaseUrl, target.Origin);
    }

    [Fact]
    public void Postgres_variables_come_third()
    {
        var target = TargetResolver.Resolve(null, Env(Everything[1..]))!;
        Assert.Equal(TargetOrigin.PostgresVariables, target.Origin);
        Assert.Equal("from-postgres-vars", target.Host);
        Assert.Equal("db2", target.Database);
        Assert.Equal("postgres", target.Username);
    }

    [Fact]
    public void Postgres_variables_all_fields()
    {
        var target = TargetResolver.Resolve(null, Env(("POSTGRES_HOST", "h"), ("POSTGRES_PORT", "6001"), ("POSTGRES_DB", "d"), ("POSTGRES_USER", "u"), ("POSTGRES_PASSWORD", "pw")))!;
        var s = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("h", 6001, "d", "u", "pw"), (s.Host, s.Port, s.Database, s.Username, s.Password));
        Assert.Equal("postgres://u@h:6001/d", target.DisplayUrl);
    }

    [Fact]
    public void Postgres_password_alone_does_not_select_a_target()
    {
        Assert.Null(TargetResolver.Resolve(null, Env(("POSTGRES_PASSWORD", "pw"))));
    }

    [Fact]
    public void Libpq_variables_come_fourth()
    {
        var target = TargetResolver.Resolve(null, Env(("PGHOST", "pghost"), ("PGPORT", "6002"), ("PGDATABASE", "pgdb"), ("PGUSER", "pguser"), ("PGPASSWORD", "pgpw")))!;
        Assert.Equal(TargetOrigin.LibpqVariables, target.Origin);
        var s = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("pghost", 6002, "pgdb", "pguser", "pgpw"), (s.Host, s.Port, s.Database, s.Username, s.Password));
    }

    [Fact]
    public void Nothing_configured_means_the_local_cluster()
    {
        Assert.Null(TargetResolver.Resolve(null, Env()));
        Assert.Null(TargetResolver.Resolve("  ", Env()));
    }

    [Fact]
    public void Url_components_missing_are_filled_from_libpq_variables()
    {
        var target = TargetResolver.Resolve("postgres://h/d", Env(("PGUSER", "envuser"), ("PGPASSWORD", "envpw"), ("PGPORT", "6003")))!;
        var s = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("envuser", "envpw", 6003), (s.Username, s.Password, s.Port));
        // What the URL says wins over the environment.
        var explicitPort = TargetResolver.Resolve("postgres://u@h:7000/d", Env(("PGPORT", "6003"), ("PGUSER", "envuser")))!;
        Assert.Equal((7000, "u"), (explicitPort.Port, explicitPort.Username));
    }

    [Fact]
    public void Pgpass_supplies_a_missing_password()
    {
        File.WriteAllText(Path.Combine(_home, ".pgpass"),
            "# comment\nother:5432:*:app:wrong\ndb.internal:5432:shop:app:pa\\:ss\\\\word\n*:*:*:*:fallback\n");
        var target = TargetResolver.Resolve("postgres://app@db.internal/shop", Env())!;
        Assert.Equal("pa:ss\\word", new NpgsqlConnectionStringBuilder(target.ConnectionString).Password);
        var other = TargetResolver.Resolve("postgres://someone@elsewhere:5433/x", Env())!;
        Assert.Equal("fallback", new NpgsqlConnectionStringBuilder(other.ConnectionString).Password);
    }

    [Fact]
    public void Pgpassfile_variable_points_elsewhere_and_explicit_password_wins()
    {
        var file = Path.Combine(_home, "custom-pgpass");
        File.WriteAllText(file, "*:*:*:*:from-file\n");
        var fromFile = TargetResolver.Resolve("postgres://u@h/d", Env(("PGPASSFILE", file)))!;
        Assert.Equal("from-file", new NpgsqlConnectionStringBuilder(fromFile.ConnectionString).Password);
        var explicitPassword = TargetResolver.Resolve("postgres://u:given@h/d", Env(("PGPASSFILE", file)))!;
        Assert.Equal("given", new NpgsqlConnectionStringBuilder(explicitPassword.ConnectionString).Password);
    }

    [Fact]
    public void Bad_port_variables_are_named()
    {
        var e = Assert.Throws<FerryException>(() => TargetResolver.Resolve(null, Env(("POSTGRES_HOST", "h"), ("POSTGRES_PORT", "http"))));
        Assert.Contains("POSTGRES_PORT='http'", e.Message, StringComparison.Ordinal);
        var pg = Assert.Throws<FerryException>(() => TargetResolver.Resolve(null, Env(("PGPORT", "-1"))));
        Assert.Contains("PGPORT='-1'", pg.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_database_url_is_named()
    {
        var e = Assert.Throws<FerryException>(() => TargetResolver.Resolve(null, Env(("DATABASE_URL", "mysql://u:pw@h/db"))));
        Assert.Contains("DATABASE_URL", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", e.Message, StringComparison.Ordinal);
    }
}
