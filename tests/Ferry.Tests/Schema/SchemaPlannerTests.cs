using Ferry.Schema;

namespace Ferry.Tests.Schema;

/// <summary>The planner on hand-built source models (no server): names, types, casts, keys, foreign keys and notes.</summary>
public sealed class SchemaPlannerTests
{
    static ColumnModel Column(string name, PgType? type = null, string? collation = null) =>
        new() { SourceName = name, SourceType = "TEXT", Type = type ?? PgType.Text, Rule = "TEXT → text", Collation = collation };

    static TableModel Table(string name, params ColumnModel[] columns) => new() { SourceName = name, Columns = [.. columns] };

    static SourceModel Source(params TableModel[] tables) => new() { Source = "sqlite:/t.db", Tables = [.. tables] };

    static SchemaPlan Plan(SourceModel source, NamingRule names = NamingRule.Lower, string? schema = null, IReadOnlyList<string>? tables = null, Dictionary<string, string>? casts = null) =>
        SchemaPlanner.Plan(source, new PlanSettings(names, schema, tables, casts ?? []));

    static FerryException Refused(SourceModel source, NamingRule names = NamingRule.Lower, IReadOnlyList<string>? tables = null, Dictionary<string, string>? casts = null) =>
        Assert.Throws<FerryException>(() => Plan(source, names, tables: tables, casts: casts));

    [Theory]
    [InlineData(NamingRule.Lower, "invoiceline", "unitprice")]
    [InlineData(NamingRule.Preserve, "InvoiceLine", "UnitPrice")]
    [InlineData(NamingRule.Snake, "invoice_line", "unit_price")]
    public void Names_follow_the_naming_rule(NamingRule rule, string table, string column)
    {
        var plan = Plan(Source(Table("InvoiceLine", Column("UnitPrice"))), rule);

        var planned = Assert.Single(plan.Tables);
        Assert.Equal(table, planned.TargetName);
        Assert.Equal(column, planned.Columns[0].TargetName);
        Assert.Equal("public." + table, planned.DisplayName);
        Assert.Empty(plan.Schemas);
    }

    [Fact]
    public void The_target_schema_moves_tables_and_views_and_is_created()
    {
        var source = Source(Table("t", Column("a")));
        source.Views.Add(new ViewModel { SourceName = "v", SourceSql = "SELECT a FROM t", TargetSql = "SELECT a FROM t" });

        var plan = Plan(source, schema: "staging");

        Assert.Equal("staging", plan.Tables[0].TargetSchema);
        Assert.Equal("staging", Assert.Single(plan.Views).TargetSchema);
        Assert.Equal(["staging"], plan.Schemas);
    }

    [Fact]
    public void An_unnamed_column_becomes_column_N_with_a_note()
    {
        var plan = Plan(Source(Table("t", Column("a"), Column(""))));

        Assert.Equal(["a", "column_2"], plan.Tables[0].Columns.Select(c => c.TargetName));
        Assert.Contains("column 2 of t has no name in the source (PostgreSQL names cannot be empty); named column_2", plan.Notes);
    }

    [Fact]
    public void A_name_over_63_bytes_is_truncated_with_a_note()
    {
        var longName = new string('x', 70);

        var plan = Plan(Source(Table("t", Column(longName))));

        Assert.Equal(new string('x', 63), plan.Tables[0].Columns[0].TargetName);
        Assert.Contains($"column t.{longName}: name longer than 63 bytes, truncated to '{new string('x', 63)}' as PostgreSQL would", plan.Notes);
    }

    [Fact]
    public void Columns_that_fold_to_one_name_are_refused_naming_the_rule_that_separates_them()
    {
        var refused = Refused(Source(Table("t", Column("Name"), Column("NAME"))));

        Assert.Contains("columns 't.Name' and 't.NAME' both become t.name", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Use --names preserve, or rename in the source.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["Name", "NAME"], Plan(Source(Table("t", Column("Name"), Column("NAME"))), NamingRule.Preserve).Tables[0].Columns.Select(c => c.TargetName));
    }

    [Fact]
    public void Tables_of_different_source_schemas_with_one_name_are_refused_with_the_way_out()
    {
        var source = Source(
            new TableModel { SourceSchema = "a", SourceName = "t", Columns = [Column("x")] },
            new TableModel { SourceSchema = "b", SourceName = "t", Columns = [Column("x")] });

        var refused = Refused(source);

        Assert.Contains("table 'a.t' and table 'b.t' both become public.t (no --names rule separates tables of different source schemas", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Rename in the source.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_system_column_name_is_refused()
    {
        var refused = Refused(Source(Table("t", Column("XMIN"))));

        Assert.Contains("column 't.XMIN' would be t.xmin (--names preserve gives it another name)", refused.Message, StringComparison.Ordinal);
        Assert.StartsWith("Refusing to copy: PostgreSQL reserves the names of its system columns (tableoid, xmin, cmin, xmax, cmax, ctid)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_wider_than_PostgreSQL_allows_is_refused()
    {
        var columns = Enumerable.Range(1, SchemaPlanner.MaxColumns + 1).Select(i => Column("c" + i)).ToArray();

        var refused = Refused(Source(Table("wide", columns)));

        Assert.Contains("at most 1600 columns, and table 'wide' has 1601 columns", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_with_a_refusal_stops_the_plan_unless_a_cast_overrides_it()
    {
        ColumnModel Refusing() => new() { SourceName = "c", SourceType = "WEIRD", Type = PgType.Bytea, Refusal = "t.c: WEIRD has no PostgreSQL type. --cast t.c=text" };

        var refused = Refused(Source(Table("t", Refusing())));
        Assert.Equal("t.c: WEIRD has no PostgreSQL type. --cast t.c=text\nNothing was written.", refused.Message);

        var column = Plan(Source(Table("t", Refusing())), casts: new() { ["t.c"] = "text" }).Tables[0].Columns[0];
        Assert.Equal(PgType.Text, column.Type);
        Assert.Null(column.Refusal);
        Assert.Equal("--cast t.c=text", column.Rule);
    }

    [Fact]
    public void A_cast_sets_the_type_and_rule_and_drops_the_profile_notes_of_another_kind()
    {
        TableModel Profiled(ColumnModel column)
        {
            var table = Table("T", Column("id", PgType.BigInt), column);
            table.Notes.Add("Column Amount (REAL): 3 values rejected");
            table.Notes.Add("kept");
            return table;
        }

        var other = Plan(Source(Profiled(Column("Amount", PgType.DoublePrecision))), casts: new() { ["t.amount"] = "NUMERIC(12,2)" });
        var amount = other.Tables[0].Column("Amount");
        Assert.Equal(PgType.NumericOf(12, 2), amount.Type);
        Assert.Equal("--cast T.Amount=numeric(12,2)", amount.Rule);
        Assert.Equal(["T: kept"], other.Notes);

        var same = Plan(Source(Profiled(Column("Amount", PgType.DoublePrecision))), casts: new() { ["T.Amount"] = "float8" });
        Assert.Equal(["T: Column Amount (REAL): 3 values rejected", "T: kept"], same.Notes);
    }

    [Fact]
    public void A_cast_to_an_array_type_gives_the_array_of_its_element()
    {
        var plan = Plan(Source(Table("t", Column("tags"))), casts: new() { ["t.tags"] = "integer[]" });

        var type = plan.Tables[0].Columns[0].Type;
        Assert.Equal(PgTypeKind.Array, type.Kind);
        Assert.Equal(PgType.Integer, type.Element);
        Assert.Equal("--cast t.tags=integer[]", plan.Tables[0].Columns[0].Rule);
    }

    [Theory]
    [InlineData("c", "--cast 'c=text': name the column as table.column.")]
    [InlineData("t.", "--cast 't.=text': name the column as table.column.")]
    [InlineData("u.c", "--cast 'u.c=text': no table 'u' is being copied (its tables: t). Nothing was written.")]
    [InlineData("t.d", "--cast 't.d=text': table 't' has no column 'd'.")]
    public void A_cast_that_names_no_copied_column_is_refused(string target, string message)
    {
        var refused = Refused(Source(Table("t", Column("c", PgType.Integer))), casts: new() { [target] = "text" });

        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void Tables_selects_by_exact_then_case_insensitive_name_and_drops_views()
    {
        var source = Source(Table("Album", Column("a")), Table("Track", Column("b")), Table("Genre", Column("c")));
        source.Views.Add(new ViewModel { SourceName = "v", SourceSql = "SELECT 1", TargetSql = "SELECT 1" });

        var plan = Plan(source, tables: ["track", "Album", "Track"]);

        Assert.Equal(["Track", "Album"], plan.Tables.Select(t => t.Source.SourceName));
        Assert.Empty(plan.Views);
        Assert.Single(Plan(source).Views);
    }

    [Fact]
    public void Tables_naming_a_missing_table_is_refused_with_the_list()
    {
        var refused = Refused(Source(Table("Album", Column("a")), Table("Track", Column("b"))), tables: ["Genre"]);

        Assert.Equal("--tables: the source has no table 'Genre'. Its tables are: Album, Track.", refused.Message);
    }

    [Fact]
    public void Notes_hold_the_source_notes_then_the_planner_notes_then_each_table_notes()
    {
        var table = Table("t", Column(""));
        table.Notes.Add("a note of the table");
        var source = Source(table);
        source.Notes.Add("foreign keys are not enforced by SQLite");

        var plan = Plan(source);

        Assert.Equal(
            ["foreign keys are not enforced by SQLite", "column 1 of t has no name in the source (PostgreSQL names cannot be empty); named column_1", "t: a note of the table"],
            plan.Notes);
        Assert.Equal(["sqlite:/e.db has no tables: nothing to copy"], Plan(new SourceModel { Source = "sqlite:/e.db" }).Notes);
    }

    [Fact]
    public void An_untranslated_view_is_planned_with_a_note()
    {
        var source = Source(Table("t", Column("a")));
        source.Views.Add(new ViewModel { SourceName = "V1", SourceSql = "SELECT x", Problem = "it uses json_each" });
        source.Views.Add(new ViewModel { SourceName = "V2", SourceSql = "SELECT y" });

        var plan = Plan(source);

        Assert.Equal(["v1", "v2"], plan.Views.Select(v => v.TargetName));
        Assert.Equal(["view V1 is not created: it uses json_each", "view V2 is not created: its SQL could not be translated"], plan.Notes);
    }

    [Fact]
    public void A_view_with_a_table_name_is_refused()
    {
        var source = Source(Table("Orders", Column("a")));
        source.Views.Add(new ViewModel { SourceName = "orders", SourceSql = "SELECT 1", TargetSql = "SELECT 1" });

        var refused = Refused(source);

        Assert.Contains("table 'Orders' and view 'orders' both become public.orders", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_resolved_to_target_names_and_named_as_PostgreSQL_would()
    {
        var table = Table("Order Line", Column("OrderId", PgType.Integer), Column("LineNo", PgType.Integer), Column("Sku"));
        table.PrimaryKey = new KeyModel(null, ["OrderId", "lineno"]);
        table.UniqueKeys.Add(new KeyModel(null, ["Sku", "OrderId"]));
        table.UniqueKeys.Add(new KeyModel("SkuOnce", ["Sku"]));
        table.Indexes.Add(new IndexModel("IxSku", ["\"sku\""], Unique: false));

        var planned = Plan(Source(table), NamingRule.Snake).Tables[0];

        Assert.Equal(["order_id", "line_no"], planned.PrimaryKey!.Columns);
        Assert.Equal("order_line_pkey", planned.PrimaryKeyName);
        Assert.Equal(["order_line_sku_order_id_key", "sku_once"], planned.UniqueKeys.Select(k => k.Name));
        Assert.Equal([["sku", "order_id"], ["sku"]], planned.UniqueKeys.Select(k => k.Columns));
        Assert.Equal("ix_sku", Assert.Single(planned.Indexes).Name);
        Assert.Equal([0, 1], planned.KeyPositions);
    }

    [Fact]
    public void A_constraint_name_taken_in_the_schema_gets_a_suffix()
    {
        var t = Table("t", Column("id", PgType.Integer));
        t.PrimaryKey = new KeyModel(null, ["id"]);
        t.Indexes.Add(new IndexModel("t_pkey", ["\"id\""], Unique: false));
        t.Indexes.Add(new IndexModel("t_pkey", ["\"id\" DESC"], Unique: false));
        var clash = Table("t_pkey", Column("x"));
        clash.PrimaryKey = new KeyModel("other", ["x"]);

        var plan = Plan(Source(t, clash));

        Assert.Equal("t_pkey_1", plan.Tables[0].PrimaryKeyName);
        Assert.Equal(["t_pkey_2", "t_pkey_3"], plan.Tables[0].Indexes.Select(i => i.Name));
        Assert.Equal("other", plan.Tables[1].PrimaryKeyName);
    }

    [Fact]
    public void A_key_naming_a_missing_column_is_dropped_with_a_note()
    {
        var table = Table("t", Column("a", PgType.Integer));
        table.PrimaryKey = new KeyModel(null, ["nope"]);
        table.UniqueKeys.Add(new KeyModel(null, ["a", "gone"]));

        var plan = Plan(Source(table));

        Assert.Null(plan.Tables[0].PrimaryKey);
        Assert.Null(plan.Tables[0].PrimaryKeyName);
        Assert.Empty(plan.Tables[0].UniqueKeys);
        Assert.Equal(
            ["t: primary key (nope) names a column the table does not have; not created", "t: unique (a, gone) names a column the table does not have; not created"],
            plan.Notes);
    }

    [Fact]
    public void Identity_default_and_collation_are_kept_only_where_PostgreSQL_can_have_them()
    {
        var id = Column("id", PgType.BigInt);
        id.Identity = true;
        id.DefaultSql = "0";
        var code = Column("code", PgType.Text, collation: "NOCASE");
        code.Identity = true;
        var name = Column("name", collation: "c");

        var plan = Plan(Source(Table("t", id, code, name)));

        var planned = plan.Tables[0];
        Assert.True(planned.Column("id").Identity);
        Assert.Null(planned.Column("id").DefaultSql);
        Assert.False(planned.Column("code").Identity);
        Assert.Null(planned.Column("code").Collation);
        Assert.Equal("c", planned.Column("name").Collation);
        Assert.Equal(
            [
                "t.id: default 0 dropped, the column is an identity",
                "t.code: not an identity column, its type text is not an integer",
                "t.code: collation NOCASE has no portable PostgreSQL equivalent; the column uses the database's default collation",
            ],
            plan.Notes);
    }

    [Fact]
    public void Foreign_keys_resolve_to_the_planned_tables()
    {
        var artist = Table("Artist", Column("ArtistId", PgType.Integer));
        artist.PrimaryKey = new KeyModel(null, ["ArtistId"]);
        var album = Table("Album", Column("AlbumId", PgType.Integer), Column("ArtistId", PgType.Integer));
        album.ForeignKeys.Add(new ForeignKeyModel(null, ["ArtistId"], null, "artist", [], OnDelete: "CASCADE", Deferrability: Deferrability.InitiallyDeferred));
        album.ForeignKeys.Add(new ForeignKeyModel("Named", ["ArtistId"], null, "Artist", ["ArtistId"]));

        var plan = Plan(Source(album, artist), NamingRule.Snake);

        var (implicitKey, named) = (plan.Tables[0].ForeignKeys[0], plan.Tables[0].ForeignKeys[1]);
        Assert.Equal("album_artist_id_fkey", implicitKey.Name);
        Assert.Same(plan.Tables[1], implicitKey.Referenced);
        Assert.Equal(["artist_id"], implicitKey.Columns);
        Assert.Equal(["artist_id"], implicitKey.ReferencedColumns);
        Assert.Equal(("CASCADE", "NO ACTION", Deferrability.InitiallyDeferred), (implicitKey.OnDelete, implicitKey.OnUpdate, implicitKey.Deferrability));
        Assert.Equal("Named", named.Name); // A source's constraint name is kept as spelled.
        Assert.Same(plan.Tables[1], named.Referenced);
    }

    [Fact]
    public void A_foreign_key_to_a_table_not_copied_or_with_other_columns_is_dropped_with_a_note()
    {
        var parent = Table("p", Column("a", PgType.Integer), Column("b", PgType.Integer));
        var child = Table("c", Column("x", PgType.Integer));
        child.ForeignKeys.Add(new ForeignKeyModel(null, ["x"], null, "gone", ["id"]));
        child.ForeignKeys.Add(new ForeignKeyModel(null, ["x"], null, "p", ["a", "b"]));
        child.ForeignKeys.Add(new ForeignKeyModel(null, ["x"], null, "p", []));

        var plan = Plan(Source(child, parent));

        Assert.Empty(plan.Tables[0].ForeignKeys);
        Assert.Equal(
            [
                "c: foreign key (x) → gone: the referenced table is not copied; not created",
                "c: foreign key (x) → p: its columns do not match the tables; not created",
                "c: foreign key (x) → p: its columns do not match the tables; not created",
            ],
            plan.Notes);
    }

    [Fact]
    public void Only_the_enums_the_copied_tables_use_are_planned()
    {
        var mood = new EnumModel("public", "mood", ["sad", "happy"]);
        var unused = new EnumModel("public", "size", ["s", "m"]);
        var source = Source(Table("person", Column("m", PgType.EnumOf(mood.QualifiedName))), Table("other", Column("x")));
        source.Enums.AddRange([mood, unused]);

        Assert.Equal([mood], Plan(source).Enums);
        Assert.Empty(Plan(source, tables: ["other"]).Enums);
    }

    [Fact]
    public void An_enum_with_the_name_of_a_table_is_refused()
    {
        var mood = new EnumModel("public", "mood", ["sad"]);
        var source = Source(Table("Mood", Column("m", PgType.EnumOf(mood.QualifiedName))));
        source.Enums.Add(mood);

        var refused = Refused(source);

        Assert.Contains(
            "enum type 'mood' and table 'Mood' both become public.mood (no --names rule separates them; enum types are created in public, --schema puts the tables in another schema)",
            refused.Message, StringComparison.Ordinal);
        Assert.Equal("mood", Assert.Single(Plan(source, NamingRule.Preserve).Enums).Name);
    }
}
