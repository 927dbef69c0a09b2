using Ferry.Sources.Postgres.Deparsed;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

public sealed class RenameColumnsTests
{
    static readonly Dictionary<string, string> Snake = new(StringComparer.Ordinal)
    {
        ["CurveName"] = "curve_name",
        ["Room"] = "room",
        ["lower"] = "lower_name",
        ["Mode"] = "mode",
        ["Addr"] = "addr",
        ["street"] = "street_name",
        ["during"] = "During",
        ["kind"] = "select",
        ["Value"] = "value",
        ["ts"] = "ts",
        ["key"] = "key_id",
        ["year"] = "yr",
    };

    static string Rename(string sql) => DeparsedSql.RenameColumns(sql, Snake);

    [Theory]
    // A column named like a function, next to the function.
    [InlineData("CHECK ((lower IS DISTINCT FROM lower(\"CurveName\")))", "CHECK ((lower_name IS DISTINCT FROM lower(curve_name)))")]
    [InlineData("CHECK ((\"lower\" = \"lower\"(\"Room\")))", "CHECK ((lower_name = \"lower\"(room)))")]
    // A column and a type of the same name after ::.
    [InlineData("CHECK ((\"Mode\")::\"Mode\" IS NOT NULL)", "CHECK ((mode)::\"Mode\" IS NOT NULL)")]
    [InlineData("(\"Room\")::public.\"Room\"[]", "(room)::public.\"Room\"[]")]
    // Literals that hold a column's name, and quotes.
    [InlineData("((\"Addr\").street <> 'CurveName''s street'::text)", "((addr).street <> 'CurveName''s street'::text)")]
    [InlineData("(\"Mode\" = E'\\\\'' Room \\' \"CurveName\"'::text)", "(mode = E'\\\\'' Room \\' \"CurveName\"'::text)")]
    // A composite's field, even one named like a column.
    [InlineData("((\"Addr\").street IS NOT NULL AND street > 'a'::text)", "((addr).street IS NOT NULL AND street_name > 'a'::text)")]
    // Quoting after the rename: needed (upper case, a keyword), no longer needed.
    [InlineData("(during && \"CurveName\")", "(\"During\" && curve_name)")]
    [InlineData("((kind)::text = 'a'::text)", "((\"select\")::text = 'a'::text)")]
    // Multi-word types, type modifiers, arrays.
    [InlineData("((\"Value\")::double precision > (0)::double precision)", "((\"value\")::double precision > (0)::double precision)")]
    [InlineData("(ts > '2020-01-01 00:00:00'::timestamp(3) without time zone)", "(ts > '2020-01-01 00:00:00'::timestamp(3) without time zone)")]
    [InlineData("((kind)::character varying(20)[] IS NOT NULL)", "((\"select\")::character varying(20)[] IS NOT NULL)")]
    [InlineData("(\"Room\" > ('1 day'::interval day to second)::integer)", "(room > ('1 day'::interval day to second)::integer)")]
    // CASE, IN as = ANY (ARRAY[…]), BETWEEN, NOT IN.
    [InlineData("CHECK (\nCASE\n    WHEN (\"Room\" > 0) THEN true\n    ELSE ((\"Mode\")::text = 'a\\''b'::text)\nEND)",
        "CHECK (\nCASE\n    WHEN (room > 0) THEN true\n    ELSE ((mode)::text = 'a\\''b'::text)\nEND)")]
    [InlineData("CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'kind'::character varying])::text[])))",
        "CHECK (((\"select\")::text = ANY ((ARRAY['a'::character varying, 'kind'::character varying])::text[])))")]
    [InlineData("(((\"Room\" >= 1) AND (\"Room\" <= 10)) AND (\"Room\" <> ALL (ARRAY[4, \"Room\"])))",
        "(((room >= 1) AND (room <= 10)) AND (room <> ALL (ARRAY[4, room])))")]
    // Collations.
    [InlineData("((\"CurveName\" COLLATE \"C\") > 'a'::text)", "((curve_name COLLATE \"C\") > 'a'::text)")]
    [InlineData("((kind COLLATE pg_catalog.\"default\") = \"CurveName\")", "((\"select\" COLLATE pg_catalog.\"default\") = curve_name)")]
    // EXTRACT's field, keywords in upper case, columns named like unreserved keywords.
    [InlineData("(EXTRACT(year FROM ts) > (year)::numeric)", "(EXTRACT(year FROM ts) > (yr)::numeric)")]
    [InlineData("PRIMARY KEY (key) DEFERRABLE INITIALLY DEFERRED", "PRIMARY KEY (key_id) DEFERRABLE INITIALLY DEFERRED")]
    [InlineData("UNIQUE NULLS NOT DISTINCT (\"CurveName\", \"Room\") INCLUDE (kind)", "UNIQUE NULLS NOT DISTINCT (curve_name, room) INCLUDE (\"select\")")]
    // Qualified names: a schema, an operator's schema, a function's schema.
    [InlineData("(\"Room\" OPERATOR(public.===) pg_catalog.lower(\"CurveName\"))", "(room OPERATOR(public.===) pg_catalog.lower(curve_name))")]
    public void Renames_references_only(string sql, string expected) => Assert.Equal(expected, Rename(sql));

    [Theory]
    [InlineData("EXCLUDE USING gist (\"Room\" WITH =, during WITH &&)", "EXCLUDE USING gist (room WITH =, \"During\" WITH &&)")]
    [InlineData("EXCLUDE USING gist (\"Room\" gist_int4_ops WITH =, during WITH &&) WITH (fillfactor='70') WHERE ((\"Room\" > 0))",
        "EXCLUDE USING gist (room gist_int4_ops WITH =, \"During\" WITH &&) WITH (fillfactor='70') WHERE ((room > 0))")]
    [InlineData("UNIQUE (\"Room\") WITH (fillfactor='70', kind='1') USING INDEX TABLESPACE kind",
        "UNIQUE (room) WITH (fillfactor='70', kind='1') USING INDEX TABLESPACE kind")]
    // The referenced table's columns are its own, renamed by its own map.
    [InlineData("FOREIGN KEY (\"Room\", kind) REFERENCES \"Forecasts\".\"Rooms\"(\"Room\", kind) ON DELETE SET NULL (kind)",
        "FOREIGN KEY (room, \"select\") REFERENCES \"Forecasts\".\"Rooms\"(\"Room\", kind) ON DELETE SET NULL (\"select\")")]
    public void Renames_in_constraints_but_not_their_parameters(string sql, string expected) => Assert.Equal(expected, Rename(sql));

    [Theory]
    [InlineData("USING btree (lower(\"CurveName\") text_pattern_ops DESC NULLS LAST, \"Room\") INCLUDE (kind) WHERE (\"Room\" > 0)",
        "USING btree (lower(curve_name) text_pattern_ops DESC NULLS LAST, room) INCLUDE (\"select\") WHERE (room > 0)")]
    [InlineData("USING gist (\"CurveName\" public.gist_trgm_ops (siglen='32'), during, kind \"Mode\")",
        "USING gist (curve_name public.gist_trgm_ops (siglen='32'), \"During\", \"select\" \"Mode\")")]
    [InlineData("USING btree (\"CurveName\" COLLATE \"C\" text_pattern_ops, ((\"Addr\").street), (\"Room\" + 1))",
        "USING btree (curve_name COLLATE \"C\" text_pattern_ops, ((addr).street), (room + 1))")]
    [InlineData("USING brin (ts) WITH (pages_per_range='16')", "USING brin (ts) WITH (pages_per_range='16')")]
    public void Renames_index_elements_but_not_operator_classes(string sql, string expected) => Assert.Equal(expected, Rename(sql));

    [Fact]
    public void Named_arguments_and_xml_labels_are_not_columns()
    {
        Assert.Equal("f(\"Room\" => room)", Rename("f(\"Room\" => \"Room\")"));
        Assert.Equal("XMLELEMENT(NAME kind, \"Mode\" AS kind)", DeparsedSql.RenameColumns("XMLELEMENT(NAME kind, \"Mode\" AS kind)", new Dictionary<string, string> { ["kind"] = "k" }));
    }

    [Fact]
    public void No_renames_keep_the_text()
    {
        const string sql = "CHECK ((\"CurveName\" <> ''::text))";
        Assert.Same(sql, DeparsedSql.RenameColumns(sql, new Dictionary<string, string>()));
        Assert.Equal(sql, DeparsedSql.RenameColumns(sql, new Dictionary<string, string> { ["curvename"] = "x" }));
    }
}
