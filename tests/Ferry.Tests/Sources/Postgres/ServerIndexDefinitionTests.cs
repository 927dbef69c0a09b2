using Ferry.Sources.Postgres.Deparsed;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

public sealed class ServerIndexDefinitionTests
{
    static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["CurveName"] = "curve_name",
        ["Room"] = "room",
        ["kind"] = "Kind",
        ["Addr"] = "addr",
        ["street"] = "street_name",
    };

    [Fact]
    public void Reads_a_partial_expression_index_with_include()
    {
        var index = ServerIndexDefinition.Parse(
            "CREATE INDEX \"IxA\" ON \"Forecasts\".\"CurveDefinitions\" USING btree (lower(\"CurveName\") text_pattern_ops DESC NULLS LAST, \"Room\") INCLUDE (kind) WHERE (\"Room\" > 0)");
        Assert.Equal(
            new ServerIndexDefinition(false, "IxA", false, "Forecasts", "CurveDefinitions", "btree",
                "USING btree (lower(\"CurveName\") text_pattern_ops DESC NULLS LAST, \"Room\") INCLUDE (kind) WHERE (\"Room\" > 0)", null),
            index);
        Assert.Equal(
            "CREATE INDEX curve_ix ON forecasts.curve_definitions USING btree (lower(curve_name) text_pattern_ops DESC NULLS LAST, room) INCLUDE (\"Kind\") WHERE (room > 0)",
            index.ToSql("curve_ix", "forecasts.curve_definitions", Renames));
    }

    [Fact]
    public void Reads_a_unique_index_with_nulls_not_distinct_and_storage_parameters()
    {
        var index = ServerIndexDefinition.Parse(
            "CREATE UNIQUE INDEX ixg ON \"Forecasts\".\"CurveDefinitions\" USING btree (\"CurveName\" COLLATE \"C\" NULLS FIRST, ((\"Addr\").street)) NULLS NOT DISTINCT WITH (fillfactor='70', deduplicate_items=off)");
        Assert.True(index.Unique);
        Assert.Equal("ixg", index.Name);
        Assert.Equal(
            "CREATE UNIQUE INDEX \"Ixg\" ON s.t USING btree (curve_name COLLATE \"C\" NULLS FIRST, ((addr).street)) NULLS NOT DISTINCT WITH (fillfactor='70', deduplicate_items=off)",
            index.ToSql("Ixg", "s.t", Renames));
    }

    [Theory]
    [InlineData("CREATE INDEX ixb ON public.t USING gin (\"CurveName\" gin_trgm_ops)", "gin", "USING gin (curve_name gin_trgm_ops)")]
    [InlineData("CREATE INDEX ixc ON public.t USING hash (\"Room\")", "hash", "USING hash (room)")]
    [InlineData("CREATE INDEX ixd ON public.t USING brin (ts) WITH (pages_per_range='16')", "brin", "USING brin (ts) WITH (pages_per_range='16')")]
    [InlineData("CREATE INDEX ixe ON public.t USING spgist (kind)", "spgist", "USING spgist (\"Kind\")")]
    [InlineData("CREATE INDEX ixf ON public.t USING gist (\"CurveName\" public.gist_trgm_ops (siglen='32'), during)", "gist",
        "USING gist (curve_name public.gist_trgm_ops (siglen='32'), during)")]
    public void Reads_every_access_method(string indexdef, string method, string renamedRest)
    {
        var index = ServerIndexDefinition.Parse(indexdef);
        Assert.Equal(method, index.Method);
        Assert.Equal(("public", "t"), (index.TableSchema, index.TableName));
        Assert.Equal($"CREATE INDEX ON x.y {renamedRest}", index.ToSql(null, "x.y", Renames));
    }

    [Fact]
    public void Only_and_tablespace_are_read_and_left_out_of_the_target()
    {
        var index = ServerIndexDefinition.Parse("CREATE INDEX \"Ix Part\" ON ONLY pt USING btree (\"B\" DESC) TABLESPACE \"Fast\" WHERE (a > 0)");
        Assert.True(index.Only);
        Assert.Null(index.TableSchema);
        Assert.Equal("pt", index.TableName);
        Assert.Equal("Fast", index.Tablespace);
        Assert.Equal("USING btree (\"B\" DESC) WHERE (a > 0)", index.Rest);
        Assert.Equal("CREATE INDEX \"Ix Part\" ON public.pt USING btree (b DESC) WHERE (a > 0)",
            index.ToSql("Ix Part", "public.pt", new Dictionary<string, string> { ["B"] = "b" }));
        Assert.Equal("USING btree (a)", ServerIndexDefinition.Parse("CREATE INDEX i ON s.t USING btree (a) TABLESPACE ts").Rest);
    }

    [Theory]
    [InlineData("CREATE TABLE t (a int)", "expected INDEX at offset 7")]
    [InlineData("CREATE INDEX ON s.t USING btree (a)", "expected the index name at offset 13")]
    [InlineData("CREATE INDEX i ON s.t (a)", "expected USING at offset 22")]
    [InlineData("CREATE INDEX i ON s.t USING btree", "expected '(' opening the index's elements at offset 33")]
    public void Bad_definitions_are_refused_naming_what_and_where(string indexdef, string message)
    {
        var error = Assert.Throws<FerryException>(() => ServerIndexDefinition.Parse(indexdef));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(indexdef, error.Message, StringComparison.Ordinal);
    }
}
