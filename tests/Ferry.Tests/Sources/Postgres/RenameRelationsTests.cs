using Ferry.Sources.Postgres.Deparsed;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

public sealed class RenameRelationsTests
{
    /// <summary>--schema-map Forecasts=forecasts with --names snake; other relations are kept.</summary>
    static (string Schema, string Name)? Map(string schema, string name) => (schema, name) switch
    {
        ("Forecasts", "CurveDefinitions_id_seq") => ("forecasts", "curve_definitions_id_seq"),
        ("Forecasts", "curve_definitions_id_seq") => ("forecasts", "curve_definitions_id_seq"),
        ("public", "T") => ("Target Schema", "t"),
        ("public", "t") => ("public", "select"),
        _ => null,
    };

    static string Rename(string sql) => DeparsedSql.RenameRelations(sql, "public", Map);

    [Theory]
    [InlineData("nextval('\"Forecasts\".\"CurveDefinitions_id_seq\"'::regclass)", "nextval('forecasts.curve_definitions_id_seq'::regclass)")]
    [InlineData("nextval('\"Forecasts\".curve_definitions_id_seq'::regclass)", "nextval('forecasts.curve_definitions_id_seq'::regclass)")]
    // Unqualified: the default schema; bare parts fold to lower case as regclass input folds them.
    [InlineData("f('t'::regclass, 'T'::regclass, '\"T\"'::regclass)", "f('public.\"select\"'::regclass, 'public.\"select\"'::regclass, '\"Target Schema\".t'::regclass)")]
    // A database part is ignored: the target is another database.
    [InlineData("'src.\"Forecasts\".\"CurveDefinitions_id_seq\"'::regclass", "'forecasts.curve_definitions_id_seq'::regclass")]
    // Not mapped, not a regclass literal, a regclass array, an OID.
    [InlineData("nextval('other_seq'::regclass)", "nextval('other_seq'::regclass)")]
    [InlineData("('t'::text || 't'::name)", "('t'::text || 't'::name)")]
    [InlineData("'{t}'::regclass[]", "'{t}'::regclass[]")]
    [InlineData("'16384'::regclass", "'16384'::regclass")]
    public void Rewrites_regclass_literals_that_are_mapped(string sql, string expected) => Assert.Equal(expected, Rename(sql));

    [Fact]
    public void Names_with_quotes_and_backslashes_are_written_back_as_literals()
    {
        var renamed = DeparsedSql.RenameRelations("nextval(E'\"we''ird\\\\\".seq'::regclass)", "public",
            (schema, name) => schema == "we'ird\\" && name == "seq" ? ("it's\\", "Seq") : null);
        Assert.Equal("nextval(E'\"it''s\\\\\".\"Seq\"'::regclass)", renamed);
    }

    [Fact]
    public void Quoted_parts_keep_dots_and_doubled_quotes()
    {
        Assert.Equal(("a.b", "c\"d"), DeparsedSql.ParseRegclass(" \"a.b\" . \"c\"\"d\" ", "public", "sql"));
    }

    [Theory]
    [InlineData("a..b", "an empty name part")]
    [InlineData("\"a", "an unterminated quoted name")]
    [InlineData("a.b.c.d", "more than three name parts")]
    [InlineData("\"a\"b", "'b' where a '.' or the end was expected")]
    public void Bad_names_are_refused_naming_what(string name, string what)
    {
        var error = Assert.Throws<FerryException>(() => DeparsedSql.RenameRelations($"nextval('{name}'::regclass)", "public", Map));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.Contains($"nextval('{name}'::regclass)", error.Message, StringComparison.Ordinal);
    }
}
