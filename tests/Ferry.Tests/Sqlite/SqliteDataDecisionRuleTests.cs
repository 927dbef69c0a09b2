using Ferry.Schema;
using Ferry.Sources.Sqlite;

namespace Ferry.Tests.Sqlite;

/// <summary>
/// <see cref="SqliteDataDecision"/>'s rule table on made-up profiles: the type and the notes each family of declared
/// types gets, word for word, and a case for every rule.
/// </summary>
public sealed class SqliteDataDecisionRuleTests
{
    sealed record Example(DataPolicy Policy, PgType Declared, SqliteColumnProfile Profile, long Rows, string Type, string[] Notes);

    static Example Case(DataPolicy policy, PgType declared, SqliteColumnProfile profile, long rows, string type, params string[] notes) =>
        new(policy, declared, profile, rows, type, notes);

    static readonly Example[] Examples =
    [
        Case(DataPolicy.ByData, PgType.Text, new(), 0,
            "text", "no values stored → text"),
        Case(DataPolicy.ByData, PgType.Text, new() { Integers = 3, MinInteger = 1, MaxInteger = 9 }, 3,
            "bigint", "all 3 values are integers → bigint"),
        Case(DataPolicy.NumericOrBigint, PgType.Numeric, new() { Integers = 1, Reals = 2, MinInteger = 4, MaxInteger = 4 }, 3,
            "numeric", "2 real values stored → numeric (exact)"),
        Case(DataPolicy.ByData, PgType.Text, new() { Integers = 2, Reals = 1, MinInteger = 1, MaxInteger = 1L << 60 }, 3,
            "numeric", "2 integers and 1 real stored, integers up to 1152921504606846976 that double precision would round → numeric (exact)"),
        Case(DataPolicy.ByData, PgType.Text, new() { Integers = 2, Reals = 1, MinInteger = 1, MaxInteger = 5 }, 3,
            "double precision", "2 integers and 1 real stored → double precision"),
        Case(DataPolicy.ByData, PgType.Text, new() { Blobs = 2 }, 2,
            "bytea", "all 2 values are blobs → bytea"),
        Case(DataPolicy.ByData, PgType.Text, new() { Integers = 1, Texts = 1, Blobs = 1, SampleText = "a" }, 3,
            "text", "1 text value among 3 values stored → text; 1 blob decoded as text"),
        Case(DataPolicy.Declared, PgType.Integer, new() { Integers = 1, Texts = 2, SampleText = "a", MinInteger = 3, MaxInteger = 3 }, 3,
            "text", "2 text values (e.g. 'a') in 3 rows: mostly text → text (every value kept)"),
        Case(DataPolicy.Declared, PgType.BigInt, new() { Integers = 2, Reals = 1, Texts = 1, SampleText = "x", MinInteger = 1, MaxInteger = 5 }, 10,
            "numeric", "1 real value (a fraction, or an integer beyond 64 bits) stored → numeric (exact, keeps the integers too)", "1 text value (e.g. 'x') is not numbers: those rows will be rejected"),
        Case(DataPolicy.Declared, PgType.SmallInt, new() { Integers = 2, Blobs = 1, MinInteger = -5, MaxInteger = 40_000 }, 10,
            "integer", "values from -5 to 40000 stored → integer", "1 blob stored: those rows will be rejected"),
        Case(DataPolicy.Declared, PgType.BigInt, new() { Texts = 1, SampleText = "lots-of-it-and-then-some-more-text-than-forty-characters" }, 10,
            "bigint", "1 text value (e.g. 'lots-of-it-and-then-some-more-text-th...') is not integers: those rows will be rejected"),
        Case(DataPolicy.Declared, PgType.Boolean, new() { Integers = 2, MinInteger = 0, MaxInteger = 7 }, 10,
            "bigint", "integers from 0 to 7 stored, not just 0/1 → bigint"),
        Case(DataPolicy.Declared, PgType.Boolean, new() { Texts = 3, SpecialTexts = 1, SampleText = "maybe" }, 3,
            "text", "2 text values (e.g. 'maybe') in 3 rows are not booleans → text (every value kept)"),
        Case(DataPolicy.Declared, PgType.Boolean, new() { Texts = 2, SpecialTexts = 1, Reals = 1, Blobs = 1, SampleText = "maybe" }, 10,
            "boolean", "1 text value like 'true'/'f' read as booleans", "1 text value (e.g. 'maybe') are not booleans: those rows will be rejected", "1 number other than 0/1 stored: those rows will be rejected", "1 blob stored: those rows will be rejected"),
        Case(DataPolicy.Declared, PgType.Date, new() { Integers = 2, Reals = 1, Blobs = 1, SpecialTexts = 2, MinInteger = 1_700_000_000, MaxInteger = 1_700_000_000_000 }, 10,
            "timestamp without time zone", "2 values with a time of day → timestamp (a date would drop it)", "2 integers read as Unix epoch seconds to milliseconds, each by its magnitude (UTC)", "1 real read as julian day numbers", "1 blob stored: those rows will be rejected"),
        Case(DataPolicy.Declared, PgType.Timestamp, new() { Integers = 1, Texts = 5, SpecialTexts = 2, MinInteger = 1_700_000_000_000, MaxInteger = 1_700_000_000_000 }, 10,
            "timestamp without time zone", "1 integer read as Unix epoch milliseconds (UTC)", "text values with a UTC offset or 'Z' stored (2 in the first 100,000 rows): converted to UTC"),
        Case(DataPolicy.Declared, PgType.VarcharOf(5), new() { Texts = 3, MaxTextLength = 10 }, 10,
            "text", "values up to 10 characters stored (SQLite does not enforce 5) → text"),
        Case(DataPolicy.Declared, PgType.Text, new() { Blobs = 2 }, 10,
            "text", "2 blobs decoded as text"),
        Case(DataPolicy.Declared, PgType.Time, new() { Integers = 1, Reals = 1, MinInteger = 5, MaxInteger = 5 }, 10,
            "time without time zone", "2 numbers stored: those rows will be rejected"),
        Case(DataPolicy.Declared, PgType.Uuid, new() { Integers = 2, MinInteger = 5, MaxInteger = 6 }, 10,
            "uuid", "2 numbers stored: those rows will be rejected"),
    ];

    [Fact]
    public void Each_example_gets_its_type_and_notes()
    {
        foreach (var e in Examples)
        {
            var notes = new List<string>();
            var type = SqliteDataDecision.Decide(SqliteTypeRules.Rules.First(r => r.Policy == e.Policy), e.Declared, e.Profile, e.Rows, notes);
            Assert.Equal(e.Type, type.ToSql());
            Assert.Equal(e.Notes, notes);
        }
    }

    [Fact]
    public void Every_rule_holds_in_some_example()
    {
        foreach (var rule in SqliteDataDecision.Rules)
        {
            Assert.True(Examples.Any(e => rule.When(new SqliteDataDecision.Facts(e.Policy, e.Declared, e.Profile, e.Rows))),
                $"No example reaches the rule \"{rule.Name}\": add one.");
        }
    }
}
