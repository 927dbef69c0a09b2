using Ferry.Sources.Postgres.Discovery;
using Ferry.Schema;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>Qualified names in server-written SQL moved to the target's: types, functions, copied relations; extensions' kept.</summary>
public sealed class MapQualifiedTests
{
    static PostgresNames Names()
    {
        var names = new PostgresNames(NamingRule.Snake, new Dictionary<string, string> { ["Forecasts"] = "Archive" });
        names.Copies("Forecasts", "CurveDefinitions");
        names.Keeps("Forecasts", "citext");
        return names;
    }

    [Theory]
    // A type after :: (also of an array), a function called, a copied table's row type (renamed by --names).
    [InlineData("'ok'::\"Forecasts\".mood", "'ok'::\"Archive\".mood")]
    [InlineData("'{ok}'::\"Forecasts\".mood[]", "'{ok}'::\"Archive\".mood[]")]
    [InlineData("\"Forecasts\".is_even(VALUE)", "\"Archive\".is_even(VALUE)")]
    [InlineData("ROW(1)::\"Forecasts\".\"CurveDefinitions\"", "ROW(1)::\"Archive\".curve_definitions")]
    // An extension's type stays where its extension is; other schemas, a field of a value and a longer name are kept.
    [InlineData("'a'::\"Forecasts\".citext", "'a'::\"Forecasts\".citext")]
    [InlineData("'x'::public.mood", "'x'::public.mood")]
    [InlineData("(spot).\"Forecasts\"", "(spot).\"Forecasts\"")]
    [InlineData("db.\"Forecasts\".mood", "db.\"Forecasts\".mood")]
    public void Maps_qualified_names_of_mapped_schemas(string sql, string expected) => Assert.Equal(expected, Names().MapQualified(sql));

    [Fact]
    public void A_default_gets_its_type_schema_and_its_sequence_mapped()
    {
        var names = Names();
        names.Copies("Forecasts", "ticket_seq");
        Assert.Equal("(nextval('\"Archive\".ticket_seq'::regclass))::\"Archive\".code",
            names.Rewrite("(nextval('\"Forecasts\".ticket_seq'::regclass))::\"Forecasts\".code", new Dictionary<string, string>()));
    }
}
