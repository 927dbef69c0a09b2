using Ferry.Schema;
using Ferry.Transforms;
using Ferry.Transforms.Steps;
using static Ferry.Tests.Transforms.Steps.Stepped;

namespace Ferry.Tests.Transforms.Steps;

/// <summary>normalize and map, value by value: each form, each unmapped policy, and the types they take and give.</summary>
public sealed class TextStepTests
{
    [Theory]
    [InlineData(TextNormalization.LowerTrim, "  Ada@Example.COM\t", "ada@example.com")]
    [InlineData(TextNormalization.LowerTrim, "\u3000ÉMILE\u00a0\n", "émile")]
    [InlineData(TextNormalization.Trim, "\u2003 Grace Hopper \u2029", "Grace Hopper")]
    [InlineData(TextNormalization.Trim, "", "")]
    [InlineData(TextNormalization.Lower, " ΣΊΣΥΦΟΣ ", " σίσυφοσ ")]
    [InlineData(TextNormalization.Lower, "\U00010400x", "\U00010428x")]
    [InlineData(TextNormalization.Upper, "straße İi ı", "STRAßE İI ı")]
    [InlineData(TextNormalization.Lower, "İI", "İi")]
    [InlineData(TextNormalization.Upper, "\U00010428", "\U00010400")]
    public void Normalize_maps_case_and_trims_unicode_whitespace_the_same_in_every_culture(TextNormalization form, string value, string expected)
    {
        // Simple case mapping keeps each character's length (ß stays ß); the invariant culture leaves Turkish İ and ı as they are.
        Assert.Equal((StepOutcome.Value, expected, (string?)null), Run(new NormalizeStep(form), value));
    }

    [Fact]
    public void Normalize_passes_a_value_it_does_not_change_on_as_the_same_string()
    {
        const string value = "already lower";
        Assert.Same(value, new NormalizeStep(TextNormalization.LowerTrim).Text(value));
        Assert.Same(value, new NormalizeStep(TextNormalization.Trim).Text(value));
        Assert.Same("ABC", new NormalizeStep(TextNormalization.Upper).Text("ABC"));
    }

    [Fact]
    public void Normalize_describes_itself_and_takes_text_like_columns_only()
    {
        Assert.Equal("lower-cased and trimmed", new NormalizeStep(TextNormalization.LowerTrim).Description);
        Assert.Equal("trimmed", new NormalizeStep(TextNormalization.Trim).Description);
        var step = new NormalizeStep(TextNormalization.Lower);
        Assert.True(step.Accepts(PgType.Text));
        Assert.True(step.Accepts(PgType.VarcharOf(20)));
        Assert.True(step.Accepts(PgType.CharOf(3)));
        Assert.False(step.Accepts(PgType.Integer));
        Assert.False(step.Accepts(PgType.Jsonb));
        Assert.False(step.Accepts(PgType.Bytea));
        Assert.Null(step.ResultType(PgType.VarcharOf(20)));
        Assert.Equal(PgType.Text, step.ResultType(PgType.EnumOf("public.\"mood\"")));
        Assert.True(step.Deterministic);
        Assert.False(step.Masks);
    }

    static readonly Dictionary<string, string> Roles = new() { ["admin"] = "ADMIN", ["user"] = "MEMBER", ["guest"] = "MEMBER" };

    [Theory]
    [InlineData(ValuePolicy.Reject, "root", StepOutcome.Reject, "root", "map: no mapping for 'root'")]
    [InlineData(ValuePolicy.Null, "root", StepOutcome.Null, "root", null)]
    [InlineData(ValuePolicy.Keep, "root", StepOutcome.Value, "root", null)]
    [InlineData(ValuePolicy.Reject, "guest", StepOutcome.Value, "MEMBER", null)]
    [InlineData(ValuePolicy.Reject, "Admin", StepOutcome.Reject, "Admin", "map: no mapping for 'Admin'")]
    public void Map_is_exact_and_follows_its_unmapped_policy(ValuePolicy unmapped, string value, StepOutcome outcome, string after, string? reason)
    {
        Assert.Equal((outcome, after, reason), Run(new MapStep(Roles, unmapped), value));
    }

    [Fact]
    public void Map_with_a_default_gives_it_to_every_unmapped_value()
    {
        var step = new MapStep(Roles, "MEMBER");
        Assert.Equal((StepOutcome.Value, "MEMBER", (string?)null), Run(step, "root"));
        Assert.Equal((StepOutcome.Value, "ADMIN", (string?)null), Run(step, "admin"));
        Assert.Equal("mapped (3 values, default: MEMBER)", step.Description);
        Assert.Equal("mapped (3 values, unmapped: reject)", new MapStep(Roles, ValuePolicy.Reject).Description);
    }

    [Fact]
    public void Map_widens_a_column_its_values_do_not_fit_and_refuses_an_empty_mapping()
    {
        var step = new MapStep(new Dictionary<string, string> { ["a"] = "ADMINISTRATOR" }, ValuePolicy.Keep);
        Assert.Equal(PgType.Text, step.ResultType(PgType.VarcharOf(5)));
        Assert.Null(step.ResultType(PgType.VarcharOf(13)));
        Assert.Null(step.ResultType(PgType.Text));
        Assert.Equal(PgType.Text, new MapStep(Roles, "A_LONG_DEFAULT").ResultType(PgType.VarcharOf(8)));
        var error = Assert.Throws<FerryException>(() => new MapStep(new Dictionary<string, string>(), ValuePolicy.Keep));
        Assert.Equal("map: give at least one mapping (old: NEW).", error.Message);
    }
}
