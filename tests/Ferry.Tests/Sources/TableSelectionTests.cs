using Ferry.Schema;
using Ferry.Sources;

namespace Ferry.Tests.Sources;

/// <summary>The one <c>--tables</c> rule, as copy, verify and every source apply it.</summary>
public sealed class TableSelectionTests
{
    static readonly (string? Schema, string Name)[] Tables =
        [("main", "Users"), ("main", "users"), ("sales", "Orders"), ("main", "orders"), ("main", "InvoiceLine"), ("main", "Album")];

    static List<string> Select(NamingRule rule, params string[] names) =>
        TableSelection.Of(names, rule).Select(Tables, t => t, missing => "missing: " + string.Join(", ", missing))
            .Select(t => $"{t.Schema}.{t.Name}").ToList();

    [Fact]
    public void No_names_select_every_table_in_source_order()
    {
        Assert.True(TableSelection.Of(null, NamingRule.Lower).IsAll);
        Assert.Equal(Tables.Length, Select(NamingRule.Lower).Count);
        Assert.Equal("main.Users", Select(NamingRule.Lower)[0]);
    }

    [Fact]
    public void An_exact_name_wins_over_one_that_differs_in_case()
    {
        Assert.Equal(["main.Users"], Select(NamingRule.Preserve, "Users"));
        Assert.Equal(["main.users"], Select(NamingRule.Preserve, "users"));
    }

    [Fact]
    public void Without_an_exact_match_case_is_ignored()
    {
        Assert.Equal(["main.Album"], Select(NamingRule.Preserve, "ALBUM"));
        Assert.Equal(["main.Users", "main.users"], Select(NamingRule.Preserve, "USERS"));
    }

    [Fact]
    public void A_bare_name_selects_it_in_every_schema_and_a_qualified_one_in_its_schema()
    {
        Assert.Equal(["sales.Orders", "main.orders"], Select(NamingRule.Preserve, "ORDERS"));
        Assert.Equal(["sales.Orders"], Select(NamingRule.Preserve, "sales.orders"));
        Assert.Equal(["main.orders"], Select(NamingRule.Preserve, "main.orders"));
    }

    [Fact]
    public void The_PostgreSQL_name_the_naming_rule_gives_selects_the_table()
    {
        Assert.Equal(["main.InvoiceLine"], Select(NamingRule.Snake, "invoice_line"));
        Assert.Throws<FerryException>(() => Select(NamingRule.Lower, "invoice_line"));
    }

    [Fact]
    public void Tables_come_in_the_order_named_each_once()
    {
        Assert.Equal(["main.Album", "main.InvoiceLine"], Select(NamingRule.Lower, "Album", "InvoiceLine", "album"));
    }

    [Fact]
    public void Names_that_select_nothing_are_refused_together()
    {
        var e = Assert.Throws<FerryException>(() => Select(NamingRule.Lower, "nope", "Album", "gone"));
        Assert.Equal("missing: nope, gone", e.Message);
    }

    [Fact]
    public void Mentions_finds_a_named_view_in_any_case()
    {
        var selection = TableSelection.Of(["Sales.Summary"], NamingRule.Lower);
        Assert.True(selection.Mentions("sales", "summary"));
        Assert.False(selection.Mentions("main", "summary"));
        Assert.True(TableSelection.Of([], NamingRule.Lower).Mentions("main", "anything"));
    }
}
