using Ferry.Sources.Postgres.Discovery;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>A key's definition as the server writes it, fitted to the target: no tablespace, the index's options kept.</summary>
public sealed class PostgresKeysTests
{
    [Theory]
    [InlineData("PRIMARY KEY (id) USING INDEX TABLESPACE fast", "PRIMARY KEY (id)")]
    [InlineData("UNIQUE (a) INCLUDE (b) WITH (fillfactor='70') USING INDEX TABLESPACE \"Fast\" DEFERRABLE", "UNIQUE (a) INCLUDE (b) WITH (fillfactor='70') DEFERRABLE")]
    [InlineData("EXCLUDE USING gist (during WITH &&) USING INDEX TABLESPACE fast WHERE ((room IS NOT NULL))", "EXCLUDE USING gist (during WITH &&) WHERE ((room IS NOT NULL))")]
    [InlineData("CHECK ((note <> 'USING INDEX TABLESPACE x'))", "CHECK ((note <> 'USING INDEX TABLESPACE x'))")]
    public void The_tablespace_clause_is_left_out(string definition, string expected) =>
        Assert.Equal(expected, PostgresKeys.WithoutTablespace(definition));

    [Theory]
    [InlineData("PRIMARY KEY (id, created)", "PRIMARY KEY (id, created) WITH (fillfactor='80')")]
    [InlineData("UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b) DEFERRABLE", "UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b) WITH (fillfactor='80') DEFERRABLE")]
    [InlineData("EXCLUDE USING gist (during WITH &&) WHERE ((room > 0))", "EXCLUDE USING gist (during WITH &&) WITH (fillfactor='80') WHERE ((room > 0))")]
    [InlineData("PRIMARY KEY (id) WITH (fillfactor='80')", "PRIMARY KEY (id) WITH (fillfactor='80')")]
    public void A_partitioned_tables_key_gets_its_index_options(string definition, string expected) =>
        Assert.Equal(expected, PostgresKeys.WithOptions(definition, ["fillfactor=80"]));
}
