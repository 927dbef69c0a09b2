using Ferry.Sources;

namespace Ferry.Tests.Sources;

/// <summary>Each engine registers its prefixes in its own folder; the factory finds it by them.</summary>
public sealed class SourceRegistryTests
{
    [Fact]
    public void The_registry_lists_each_engines_prefixes()
    {
        Assert.Equal(
            [("sqlite:PATH", "sqlite"), ("sqlite:PATH", "sqlite3"), ("duckdb:PATH", "duckdb"), ("parquet:GLOB", "parquet"), ("csv:GLOB", "csv")],
            SourceRegistry.Engines.SelectMany(e => e.Prefixes.Select(p => (e.Form, p))));
        Assert.Equal("sqlite:PATH, duckdb:PATH, parquet:GLOB, csv:GLOB or postgres://USER@HOST/DB", SourceRegistry.Forms);
    }

    [Fact]
    public void A_prefix_in_any_case_finds_its_engine_and_an_unknown_one_none()
    {
        foreach (var engine in SourceRegistry.Engines)
        {
            foreach (var prefix in engine.Prefixes)
                Assert.Same(engine, SourceFactory.Parse(prefix.ToUpperInvariant() + ":data/x").Engine);
        }

        Assert.Null(SourceRegistry.Find("mysql"));
        Assert.Contains("unknown kind 'mysql'", Assert.Throws<FerryException>(() => SourceFactory.Parse("mysql:x")).Message, StringComparison.Ordinal);
        Assert.Same(Ferry.Sources.Postgres.PostgresEngine.Postgres, SourceFactory.Parse("postgres://u@h/db").Engine);
        Assert.Same(Ferry.Sources.Postgres.PostgresEngine.Postgres, SourceFactory.Parse("host=h dbname=db user=u").Engine);
    }
}
