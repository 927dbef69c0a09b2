using Ferry.Sources.Postgres.Deparsed;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>A view's deparsed query renamed to the target's relations and columns, exactly where they are references.</summary>
public sealed class ViewQueryTests
{
    static readonly Dictionary<(string, string), (string, string)> Relations = new()
    {
        [("Forecasts", "Curves")] = ("forecast", "curves"),
        [("public", "obs")] = ("public", "observations"),
    };

    static readonly Dictionary<(string, string), IReadOnlyDictionary<string, string>> Columns = new()
    {
        [("Forecasts", "Curves")] = new Dictionary<string, string> { ["Id"] = "id", ["Name"] = "title" },
        [("public", "obs")] = new Dictionary<string, string> { ["v"] = "amount" },
    };

    static string Rename(string sql) => ViewQuery.Rename(sql, (s, n) => Relations.TryGetValue((s, n), out var r) ? r : null, (s, n) => Columns.GetValueOrDefault((s, n)));

    [Fact]
    public void Relations_in_from_and_join_and_their_columns_are_renamed()
    {
        Assert.Equal(
            """ SELECT c.id AS "Id", c.title AS "Name", o.amount AS v FROM (forecast.curves c JOIN public.observations o ON ((o.amount = c.id)));""",
            Rename(""" SELECT c."Id", c."Name", o.v FROM ("Forecasts"."Curves" c JOIN public.obs o ON ((o.v = c."Id")));"""));
    }

    [Fact]
    public void A_relation_without_alias_keeps_its_old_name_as_alias()
    {
        Assert.Equal(
            """ SELECT obs.amount AS v, count(*) AS n FROM public.observations obs GROUP BY obs.amount;""",
            Rename(""" SELECT obs.v, count(*) AS n FROM public.obs GROUP BY obs.v;"""));
    }

    [Fact]
    public void An_entry_with_its_own_name_and_an_expression_keep_their_text()
    {
        Assert.Equal(
            """ SELECT o.amount AS total, (o.amount + 1), EXTRACT(year FROM o.t) FROM public.observations o WHERE (o.a IS DISTINCT FROM o.amount);""",
            Rename(""" SELECT o.v AS total, (o.v + 1), EXTRACT(year FROM o.t) FROM public.obs o WHERE (o.a IS DISTINCT FROM o.v);"""));
    }

    [Fact]
    public void Aliases_resolve_in_their_own_query_level()
    {
        // The same alias names another table in a sibling subquery; an outer alias reaches into a correlated one.
        Assert.Equal(
            """ SELECT x.v, y."Id" FROM (SELECT t.amount AS v FROM public.observations t) x, (SELECT t."Id" FROM public.other t WHERE (t."Id" > (SELECT max(c.id) FROM forecast.curves c WHERE (c.title = t."Name")))) y;""",
            Rename(""" SELECT x.v, y."Id" FROM (SELECT t.v FROM public.obs t) x, (SELECT t."Id" FROM public.other t WHERE (t."Id" > (SELECT max(c."Id") FROM "Forecasts"."Curves" c WHERE (c."Name" = t."Name")))) y;"""));
    }

    [Fact]
    public void Set_operations_and_column_alias_lists_and_functions_are_not_mistaken()
    {
        // After UNION the alias o names another relation; a column alias list names columns by position; a function in FROM is no relation.
        Assert.Equal(
            """ SELECT o.amount AS v FROM public.observations o UNION SELECT o.v FROM public.other o UNION SELECT a.v FROM public.observations a(v, w) UNION SELECT g.g FROM generate_series(1, 3) g(g);""",
            Rename(""" SELECT o.v FROM public.obs o UNION SELECT o.v FROM public.other o UNION SELECT a.v FROM public.obs a(v, w) UNION SELECT g.g FROM generate_series(1, 3) g(g);"""));
    }

    [Fact]
    public void Qualified_functions_types_and_unmapped_relations_stay()
    {
        const string sql = """ SELECT public.f(o.x), (o.y)::public.mood FROM public.other o, pg_class;""";
        Assert.Equal(sql, Rename(sql));
    }
}
