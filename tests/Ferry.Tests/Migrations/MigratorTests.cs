using Ferry.Connections;
using Ferry.Migrations;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Migrations;

/// <summary>The runner through its library API, against real PostgreSQL.</summary>
public sealed class MigratorTests
{
    static Migrator For(TestDatabase db, MigrationFolder folder, MigratorOptions? options = null) =>
        new(db.Target, (options ?? new MigratorOptions()) with { Directory = folder.Path });

    [Fact]
    public async Task Up_applies_every_file_form_in_order_and_records_history()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY);");
        folder.Write("001_users.down.sql", "DROP TABLE users;");
        folder.Write("002_email_UP.sql", "ALTER TABLE users ADD COLUMN email text;");
        folder.Write("002_email_DOWN.sql", "ALTER TABLE users DROP COLUMN email;");
        folder.Write("V3__orders.sql", "CREATE TABLE orders (id int, user_id int REFERENCES users);");
        folder.Write("V3_1__orders_index.sql", "CREATE INDEX orders_user ON orders (user_id);");
        folder.Write("R__user_view.sql", "CREATE OR REPLACE VIEW user_orders AS SELECT u.id, u.email, count(o.id) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id;");

        var report = await For(db, folder).UpAsync();

        Assert.Equal(["001", "002", "3", "3.1", null], report.Steps.Select(s => s.Version));
        Assert.All(report.Steps, s => Assert.True(s.Transactional));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_views WHERE viewname = 'user_orders'"));
        var rows = await db.RowsAsync("SELECT version, name, kind, length(checksum), applied_at IS NOT NULL, execution_ms >= 0, applied_by, success FROM public.schema_migrations ORDER BY installed_rank");
        Assert.Equal(5, rows.Count);
        Assert.Equal(["001", "users", "versioned", 64, true, true, "postgres", true], rows[0]);
        Assert.Equal([null, "user_view", "repeatable", 64, true, true, "postgres", true], rows[4]);
        Assert.Equal("timestamp with time zone", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'applied_at'"));

        var again = await For(db, folder).UpAsync();
        Assert.Empty(again.Steps);
    }

    [Fact]
    public async Task Down_runs_suffix_and_flyway_undo_files_in_a_custom_history_table_and_logs_through_ilogger()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("V1__a.sql", "CREATE TABLE a (id int);");
        folder.Write("U1__a.sql", "DROP TABLE a;");
        folder.Write("V2__b.sql", "CREATE TABLE b (id int);");
        folder.Write("U2__b.sql", "DROP TABLE b;");
        var logger = new ListLogger();
        var options = new MigratorOptions { HistoryTable = "ops.history" };
        var migrator = new Migrator(db.Target, options with { Directory = folder.Path }, logger);

        await migrator.UpAsync();
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.history"));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('public.schema_migrations') IS NOT NULL"));
        Assert.NotEqual(new Migrator(db.Target).LockKey, migrator.LockKey);
        Assert.Contains(logger.Lines, l => l.StartsWith("Applied V2__b.sql in ", StringComparison.Ordinal));

        var reverted = await migrator.DownAsync(new DownOptions { Steps = 2 });
        Assert.Equal(["U2__b.sql", "U1__a.sql"], reverted.Steps.Select(s => s.File));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename IN ('a', 'b')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.history"));

        using var suffix = new MigrationFolder();
        suffix.Write("001_c_UP.sql", "CREATE TABLE c (id int);");
        suffix.Write("001_c_DOWN.sql", "DROP TABLE c;");
        var other = new Migrator(db.Target, options with { Directory = suffix.Path });
        await other.UpAsync();
        Assert.Equal("001_c_DOWN.sql", Assert.Single((await other.DownAsync()).Steps).File);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('c') IS NOT NULL"));
    }

    [Fact]
    public async Task Repeatable_migration_runs_again_when_its_file_changes()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("V1__t.sql", "CREATE TABLE t (a int, b int);");
        folder.Write("R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT a FROM t;");
        await For(db, folder).UpAsync();
        folder.Write("R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT a, b FROM t;");
        Assert.Equal(MigrationState.Pending, (await For(db, folder).StatusAsync()).Migrations.Single(m => m.Name == "v").State);

        var report = await For(db, folder).UpAsync();

        Assert.Equal("v", Assert.Single(report.Steps).Name);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'v'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE kind = 'repeatable'"));
    }

    [Fact]
    public async Task Broken_statement_on_line_3_is_reported_as_line_3_and_the_table_from_line_1_is_rolled_back()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_ok.up.sql", "CREATE TABLE ok (id int);");
        folder.Write("002_broken.up.sql", "CREATE TABLE made_by_line_1 (id int);\nINSERT INTO made_by_line_1 VALUES (1);\nSELECT id FROM made_by_line_1 WHERE nosuchcolumn = 1;\n");

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        Assert.EndsWith("002_broken.up.sql", e.File, StringComparison.Ordinal);
        Assert.Equal(3, e.Line);
        Assert.Equal("SELECT id FROM made_by_line_1 WHERE ".Length + 1, e.Column);
        Assert.Contains("nosuchcolumn", e.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("002_broken.up.sql:3:37", e.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Failed, e.Kind);
        Assert.Equal("001", Assert.Single(e.Completed).Version);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass(\'made_by_line_1\') IS NOT NULL"));
        Assert.Equal(["001"], (await db.RowsAsync("SELECT version FROM schema_migrations")).Select(r => r[0]));
    }

    [Fact]
    public async Task Failure_in_the_middle_of_a_round_trip_keeps_the_migrations_before_it_and_runs_none_after()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("002_b.up.sql", "INSERT INTO a VALUES (2);");
        folder.Write("003_c.up.sql", "CREATE TABLE c (id int);\nINSERT INTO a VALUES ('three');");
        folder.Write("004_d.up.sql", "CREATE TABLE d (id int);");

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        Assert.EndsWith("003_c.up.sql", e.File, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
        Assert.Equal(["001", "002"], e.Completed.Select(s => s.Version));
        Assert.Equal(["001", "002"], (await db.RowsAsync("SELECT version FROM schema_migrations ORDER BY version")).Select(r => r[0]));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT id FROM a"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename IN ('c', 'd')"));
        Assert.Equal([MigrationState.Applied, MigrationState.Applied, MigrationState.Pending, MigrationState.Pending], (await For(db, folder).StatusAsync()).Migrations.Select(m => m.State));
    }

    [Fact]
    public async Task Error_position_maps_through_comments_crlf_and_multibyte_text()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_x.up.sql", "-- héllo 😀 comment\r\nCREATE TABLE t (name text DEFAULT '😀😀');\r\n/* two\r\nlines */ INSERT INTO t (name) VALUES ('ü'), (1 +);\r\n");

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        Assert.True(e.Line == 4, e.Message);
        Assert.Equal("lines */ INSERT INTO t (name) VALUES ('ü'), (1 +".Length + 1, e.Column);
        Assert.Contains("syntax error", e.ServerMessage, StringComparison.Ordinal);

        // Characters, as PostgreSQL counts them: 😀 is one column, not two UTF-16 units.
        folder.Write("001_x.up.sql", "SELECT '😀é', bad2;\n");
        var astral = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());
        Assert.Equal((1, 14), (astral.Line, astral.Column));
        Assert.Contains("001_x.up.sql:1:14: ", astral.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_wrapped_in_begin_commit_runs_as_one_transaction_with_its_history_row()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_wrapped.up.sql", "BEGIN;\nCREATE TABLE w (id int);\nINSERT INTO w VALUES (1), (1);\nCREATE UNIQUE INDEX w_id ON w (id);\nCOMMIT;\n");

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        Assert.Equal(4, e.Line);
        Assert.Contains("could not create unique index", e.ServerMessage, StringComparison.Ordinal);
        Assert.Contains("Key (id)=(1) is duplicated.", e.Detail, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('w') IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));

        folder.Write("001_wrapped.up.sql", "START TRANSACTION;\nCREATE TABLE w (id int);\nEND;\n");
        var report = await For(db, folder).UpAsync(new UpOptions { DryRun = true });
        Assert.Contains("BEGIN;\nCREATE TABLE w (id int);\nCOMMIT;\n", report.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("START", report.Sql, StringComparison.Ordinal);
        await For(db, folder).UpAsync();
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('w') IS NOT NULL"));
    }

    [Fact]
    public async Task A_commit_inside_a_transactional_migration_is_refused_before_anything_runs()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);\n");
        folder.Write("002_b.up.sql", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n  COMMIT;\nCREATE TABLE c (x int);\n");

        var e = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync());

        Assert.Equal(FailureKind.Failed, e.Kind);
        Assert.Contains("002_b.up.sql:3:3: COMMIT inside a migration", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was run", e.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('a') IS NOT NULL OR to_regclass('b') IS NOT NULL"));
        await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync(new UpOptions { DryRun = true }));
        // validate says so too, before anyone runs up: the pending file cannot run as written.
        var invalid = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).ValidateAsync());
        Assert.Equal(FailureKind.Failed, invalid.Kind);
        Assert.Contains("002_b.up.sql:3:3: COMMIT inside a migration", invalid.Message, StringComparison.Ordinal);

        // Savepoints stay inside the migration's transaction; ROLLBACK (not to a savepoint) does not.
        folder.Write("002_b.up.sql", "CREATE TABLE b (id int);\nSAVEPOINT s;\nINSERT INTO b VALUES (1);\nROLLBACK TO SAVEPOINT s;\nRELEASE SAVEPOINT s;\n");
        await For(db, folder).UpAsync();
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM b"));
        folder.Write("003_c.up.sql", "CREATE TABLE c (x int);\nROLLBACK;\n");
        Assert.Contains("003_c.up.sql:2:1: ROLLBACK inside a migration", (await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync())).Message, StringComparison.Ordinal);

        // A file that runs outside a transaction may control its own, as written.
        folder.Write("003_c.up.sql", "-- ferry:no-transaction\nBEGIN;\nCREATE TABLE c (x int);\nCOMMIT;\n");
        await For(db, folder).UpAsync();
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('c') IS NOT NULL"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE success"));
    }

    [Fact]
    public async Task Create_index_concurrently_runs_outside_a_transaction_without_a_directive()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_t.up.sql", "CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 1000);");
        folder.Write("002_idx.up.sql", "-- build without blocking writes\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nCREATE UNIQUE INDEX CONCURRENTLY t_a_unique ON t (a);\nVACUUM (ANALYZE) t;\n");

        var report = await For(db, folder).UpAsync();

        Assert.False(report.Steps[1].Transactional);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('t_a', 't_a_unique') AND i.indisvalid"));
        Assert.True(await db.ScalarAsync<bool>("SELECT success FROM schema_migrations WHERE version = '002'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 't'"));
    }

    [Fact]
    public async Task Reindex_schema_system_cluster_and_discard_all_run_outside_a_transaction_without_a_directive()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_t.up.sql", "CREATE TABLE t (a int PRIMARY KEY);\nCLUSTER t USING t_pkey;\n");
        // One file each: a single such statement takes its whole file out of the transaction.
        folder.Write("002_schema.up.sql", "REINDEX SCHEMA public;\n");
        folder.Write("003_system.up.sql", $"REINDEX (VERBOSE) SYSTEM \"{db.Name}\";\n");
        folder.Write("004_cluster.up.sql", "CLUSTER VERBOSE;\n");
        folder.Write("005_discard.up.sql", "DISCARD ALL;\n");

        var report = await For(db, folder).UpAsync();

        Assert.Equal([true, false, false, false, false], report.Steps.Select(s => s.Transactional));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE success"));
    }

    [Fact]
    public async Task Failed_non_transactional_migration_is_recorded_then_fixed_and_rerun()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_t.up.sql", "CREATE TABLE t (a int);");
        folder.Write("002_idx.up.sql", "-- ferry:no-transaction\nCREATE TABLE side (id int);\nCREATE INDEX CONCURRENTLY t_b ON t (b);\n");

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        Assert.Equal(3, e.Line);
        Assert.Contains("the statement before this one stays applied", e.Message, StringComparison.Ordinal);
        Assert.Equal("side", await db.ScalarAsync<string>("SELECT to_regclass('side')::text"));
        var failed = (await For(db, folder).StatusAsync()).Migrations.Single(m => m.Version == "002");
        Assert.Equal(MigrationState.Failed, failed.State);
        Assert.Contains("statement 2 of 2 (line 3)", failed.Error, StringComparison.Ordinal);
        Assert.Contains("repair", failed.NextStep, StringComparison.Ordinal);
        Assert.Single(await For(db, folder).ValidateAsync());

        folder.Write("002_idx.up.sql", "-- ferry:no-transaction\nCREATE TABLE IF NOT EXISTS side (id int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        var rerun = await For(db, folder).UpAsync();

        Assert.Equal("002", Assert.Single(rerun.Steps).Version);
        Assert.Equal([true], (await db.RowsAsync("SELECT success FROM schema_migrations WHERE version = '002'")).Select(r => r[0]));
        Assert.Empty(await For(db, folder).ValidateAsync());
    }

    [Fact]
    public async Task A_down_file_that_fails_part_way_outside_a_transaction_leaves_the_migration_failed_until_down_finishes_it()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int); CREATE TABLE b (id int);");
        folder.Write("001_a.down.sql", "-- ferry:no-transaction\nDROP TABLE a;\nDROP TABLE nosuch;\nDROP TABLE b;\n");
        await For(db, folder).UpAsync();

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).DownAsync());

        Assert.Equal(3, e.Line);
        Assert.Contains("records migration 001 (a) as failed, partly reverted", e.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('a') IS NOT NULL"));
        var entry = Assert.Single((await For(db, folder).StatusAsync()).Migrations);
        Assert.Equal(MigrationState.Failed, entry.State);
        Assert.True(entry.PartlyReverted);
        Assert.Contains("001_a.down.sql statement 2 of 3 (line 3): 42P01", entry.Error, StringComparison.Ordinal);
        Assert.Contains("re-run 'ferry migrate down'", entry.NextStep, StringComparison.Ordinal);
        Assert.Equal(MigrationState.Failed, Assert.Single(await For(db, folder).ValidateAsync()).State);

        // 'up' does not run the up file over what the down file left.
        var refused = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync());
        Assert.Equal(FailureKind.Failed, refused.Kind);
        Assert.Contains("version 001 (a) is partly reverted", refused.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('a') IS NOT NULL"));

        // The fixed down file finishes the revert.
        folder.Write("001_a.down.sql", "-- ferry:no-transaction\nDROP TABLE IF EXISTS a;\nDROP TABLE b;\n");
        Assert.Equal("001", Assert.Single((await For(db, folder).DownAsync()).Steps).Version);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('b') IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));

        // Or, with the rest undone by hand, repair forgets it and 'up' applies it again.
        await For(db, folder).UpAsync();
        folder.Write("001_a.down.sql", "-- ferry:no-transaction\nDROP TABLE a;\nDROP TABLE nosuch;\n");
        await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).DownAsync());
        await db.ExecuteAsync("DROP TABLE b");
        Assert.Contains("forgot the partly reverted migration", Assert.Single(await For(db, folder).RepairAsync()).Action, StringComparison.Ordinal);
        Assert.Equal("001", Assert.Single((await For(db, folder).UpAsync()).Steps).Version);

        // A down file that fails at its first statement reverted nothing: the migration stays applied.
        folder.Write("001_a.down.sql", "-- ferry:no-transaction\nDROP TABLE nosuch;\nDROP TABLE a;\n");
        await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).DownAsync());
        Assert.Equal(MigrationState.Applied, Assert.Single((await For(db, folder).StatusAsync()).Migrations).State);
    }

    [Fact]
    public async Task A_failed_migration_renamed_to_an_equal_version_replaces_its_failed_row()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_x.up.sql", "-- ferry:no-transaction\nCREATE TABLE x (id int);\nINSERT INTO nosuch VALUES (1);\n");
        await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        // Versions compare as numbers: 001, 01 and 1 are one migration, with one row.
        folder.Delete("001_x.up.sql");
        folder.Write("01_x.up.sql", "-- ferry:no-transaction\nCREATE TABLE IF NOT EXISTS x (id int);\nINSERT INTO nosuch VALUES (2);\n");
        await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());
        Assert.Equal(["01", false], Assert.Single(await db.RowsAsync("SELECT version, success FROM schema_migrations")));

        folder.Delete("01_x.up.sql");
        folder.Write("1_x.up.sql", "CREATE TABLE IF NOT EXISTS x (id int);\n");
        Assert.Equal("1", Assert.Single((await For(db, folder).UpAsync()).Steps).Version);
        Assert.Equal(["1", true], Assert.Single(await db.RowsAsync("SELECT version, success FROM schema_migrations")));
        Assert.Empty(await For(db, folder).ValidateAsync());
    }

    [Fact]
    public async Task A_migrations_set_role_does_not_write_the_history_row_or_reach_the_next_migration()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        var owner = "app_owner_" + db.Name;
        await db.ExecuteAsync($"CREATE ROLE {owner} NOLOGIN; GRANT CREATE ON SCHEMA public TO {owner}");
        try
        {
            folder.Write("001_events.up.sql", $"CREATE TABLE events (id serial, note text);\nALTER TABLE events OWNER TO {owner};\n");
            folder.Write("002_seed.up.sql", $"-- ferry:no-transaction\nSET ROLE {owner};\nINSERT INTO events (note) VALUES ('seed');\n");
            folder.Write("003_more.up.sql", $"SET ROLE {owner};\nINSERT INTO events (note) VALUES ('more');\n");
            folder.Write("004_mine.up.sql", "CREATE TABLE mine (id int);\n");

            var report = await For(db, folder).UpAsync();

            Assert.Equal(["001", "002", "003", "004"], report.Steps.Select(s => s.Version));
            Assert.Equal(["seed", "more"], (await db.RowsAsync("SELECT note FROM events ORDER BY id")).Select(r => r[0]));
            Assert.Equal("postgres", await db.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'mine'"));
            Assert.Equal([true], (await db.RowsAsync("SELECT bool_and(success AND applied_by = 'postgres') FROM schema_migrations")).Select(r => r[0]));
            Assert.Empty((await For(db, folder).UpAsync()).Steps);

            // A failure outside a transaction is recorded with Ferry's own role too.
            folder.Write("005_fails.up.sql", $"-- ferry:no-transaction\nSET ROLE {owner};\nINSERT INTO nosuch VALUES (1);\n");
            var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());
            Assert.Equal(3, e.Line);
            Assert.Equal(MigrationState.Failed, (await For(db, folder).StatusAsync()).Migrations.Single(m => m.Version == "005").State);
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {owner}; DROP ROLE {owner}");
        }
    }

    [Fact]
    public async Task Each_migration_starts_from_the_session_as_ferry_opened_it()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_other.up.sql", "CREATE SCHEMA other;\nSET search_path = other;\nSET default_transaction_read_only = on;\nCREATE TABLE s1 (id int);\n");
        folder.Write("002_next.up.sql", "CREATE TABLE s2 (id int);\n");

        await For(db, folder).UpAsync();

        Assert.Equal("other.s1", await db.ScalarAsync<string>("SELECT 'other.s1'::regclass::text"));
        Assert.Equal("s2", await db.ScalarAsync<string>("SELECT 'public.s2'::regclass::text"));
        Assert.Equal(["001", "002"], (await db.RowsAsync("SELECT version FROM public.schema_migrations ORDER BY version")).Select(r => r[0]));
    }

    [Fact]
    public async Task A_history_row_that_cannot_be_written_fails_the_migration_naming_its_file()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("002_drop.up.sql", "CREATE TABLE b (id int);\nDROP TABLE schema_migrations;\n");

        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());

        Assert.EndsWith("002_drop.up.sql", e.File, StringComparison.Ordinal);
        Assert.Null(e.Line);
        Assert.Contains("002_drop.up.sql: migration 002 (drop) failed: its row in public.schema_migrations could not be written: 42P01: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing of this migration was applied (its transaction was rolled back).", e.Message, StringComparison.Ordinal);
        Assert.Equal("001", Assert.Single(e.Completed).Version);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('b') IS NOT NULL"));
        Assert.Equal(["001"], (await db.RowsAsync("SELECT version FROM schema_migrations")).Select(r => r[0]));

        // Outside a transaction the statements stay applied, and the message says they are not recorded.
        folder.Write("002_drop.up.sql", "-- ferry:no-transaction\nCREATE TABLE b (id int);\nALTER TABLE schema_migrations RENAME TO gone;\n");
        var outside = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());
        Assert.Null(outside.Line);
        Assert.Contains("002_drop.up.sql: migration 002 (drop) ran, but its row in public.schema_migrations could not be written: 42P01: ", outside.Message, StringComparison.Ordinal);
        Assert.Contains("its statements ran and stay applied, and the history does not record it", outside.Message, StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('b') IS NOT NULL"));

        // A failing statement whose failure cannot be recorded either: the statement's error first, then that. (The
        // renamed table holds the row 002 had before its rename, recording statement 1 done: forgotten, as by repair.)
        await db.ExecuteAsync("DROP TABLE b; DELETE FROM gone WHERE version = '002'; ALTER TABLE gone RENAME TO schema_migrations");
        folder.Write("002_drop.up.sql", "-- ferry:no-transaction\nALTER TABLE schema_migrations RENAME TO gone;\nSELECT 1 / 0;\n");
        var both = await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());
        Assert.Equal(3, both.Line);
        Assert.Contains("002_drop.up.sql:3:", both.Message, StringComparison.Ordinal);
        Assert.Contains("22012: division by zero.", both.Message, StringComparison.Ordinal);
        Assert.Contains("Its failure could not be recorded in public.schema_migrations either: 42P01: ", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_to_stdout_in_a_down_file_is_refused_and_a_copy_on_the_server_runs()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        // Words in parentheses (a column named stdin, a query) are not the COPY's direction.
        folder.Write("001_c.up.sql", "CREATE TABLE c (stdin int);\nCOPY c (stdin) FROM PROGRAM 'true';\n");
        folder.Write("001_c.down.sql", "DROP TABLE c;\n  COPY (SELECT 'from stdin') TO STDOUT;\n");
        await For(db, folder).UpAsync();

        var e = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).DownAsync());

        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Contains("001_c.down.sql:2:3: COPY … TO STDOUT is not supported in a migration file", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was run", e.Message, StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('c') IS NOT NULL"));
    }

    [Fact]
    public async Task Drift_is_refused_unless_ignored_and_repair_accepts_it()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);\nCREATE TABLE a2 (id int);\n");
        folder.Write("002_b.up.sql", "CREATE TABLE b (id int);");
        await For(db, folder).UpAsync();

        // Only line endings and a BOM: not drift.
        File.WriteAllText(Path.Combine(folder.Path, "001_a.up.sql"), "\uFEFFCREATE TABLE a (id int);\r\nCREATE TABLE a2 (id int);\r\n");
        Assert.Empty(await For(db, folder).ValidateAsync());

        folder.Write("001_a.up.sql", "CREATE TABLE a (id bigint);\nCREATE TABLE a2 (id int);\n");
        folder.Delete("002_b.up.sql");
        folder.Write("003_c.up.sql", "CREATE TABLE c (id int);");
        var problems = await For(db, folder).ValidateAsync();
        Assert.Equal([MigrationState.Changed, MigrationState.Missing], problems.Select(p => p.State));

        var refused = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync());
        Assert.Equal(FailureKind.Failed, refused.Kind);
        Assert.Contains("001_a.up.sql was edited", refused.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass(\'c\') IS NOT NULL"));

        var ignored = await For(db, folder, new MigratorOptions { IgnoreDrift = true }).UpAsync();
        Assert.Equal("003", Assert.Single(ignored.Steps).Version);

        var actions = await For(db, folder).RepairAsync();
        Assert.Equal(["001", "002"], actions.Select(a => a.Version));
        Assert.Empty(await For(db, folder).ValidateAsync());
    }

    [Fact]
    public async Task A_failed_migration_whose_file_is_gone_stays_failed_and_is_not_called_applied()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("002_b.up.sql", "-- ferry:no-transaction\nCREATE TABLE b (id int);\nINSERT INTO nosuch VALUES (1);\n");
        await Assert.ThrowsAsync<MigrationFailedException>(() => For(db, folder).UpAsync());
        folder.Delete("002_b.up.sql");

        var entry = (await For(db, folder).StatusAsync()).Migrations.Single(m => m.Version == "002");
        Assert.Equal(MigrationState.Failed, entry.State);
        Assert.Equal("its file is gone: restore it, or clear the failed entry with 'ferry migrate repair'", entry.NextStep);
        Assert.Equal(MigrationState.Failed, Assert.Single(await For(db, folder).ValidateAsync()).State);
        var refused = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync());
        Assert.Contains("Refusing to migrate: version 002 (b) failed and its file is gone.", refused.Message, StringComparison.Ordinal);

        Assert.Equal("removed the failed entry of the migration whose file is gone", Assert.Single(await For(db, folder).RepairAsync()).Action);
        Assert.Empty(await For(db, folder).ValidateAsync());
    }

    [Fact]
    public async Task Out_of_order_pending_file_is_refused_unless_allowed()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("003_c.up.sql", "CREATE TABLE c (id int);");
        await For(db, folder).UpAsync();
        folder.Write("002_b.up.sql", "CREATE TABLE b (id int);");

        var e = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync());
        Assert.Contains("002_b.up.sql is pending but version 003 is already applied", e.Message, StringComparison.Ordinal);

        var report = await For(db, folder, new MigratorOptions { AllowOutOfOrder = true }).UpAsync();
        Assert.Equal("002", Assert.Single(report.Steps).Version);
    }

    [Fact]
    public async Task Up_to_a_version_stops_there()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        foreach (var n in new[] { "1.9", "1.10", "2" })
            folder.Write($"V{n.Replace('.', '_')}__t.sql", $"CREATE TABLE t_{n.Replace('.', '_')} (id int);");

        var report = await For(db, folder).UpAsync(new UpOptions { To = "1.10" });

        Assert.Equal(["1.9", "1.10"], report.Steps.Select(s => s.Version));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass(\'t_2\') IS NOT NULL"));
    }

    [Fact]
    public async Task A_to_version_that_no_migration_has_is_refused_before_anything_runs()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        foreach (var n in new[] { "1_2", "1_2_3", "1_9", "1_10", "1_11" })
        {
            folder.Write($"V{n}__t.sql", $"CREATE TABLE t_{n} (id int);");
            folder.Write($"U{n}__t.sql", $"DROP TABLE t_{n};");
        }

        var up = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).UpAsync(new UpOptions { To = "1.5" }));
        Assert.Equal(FailureKind.Configuration, up.Kind);
        Assert.Contains("--to 1.5: no migration has version 1.5", up.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was applied", up.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('t_1_2') IS NOT NULL"));
        await For(db, folder).UpAsync();

        foreach (var to in new[] { "1.5", "7" })
        {
            foreach (var dryRun in new[] { true, false })
            {
                var down = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).DownAsync(new DownOptions { To = to, DryRun = dryRun }));
                Assert.Equal(FailureKind.Configuration, down.Kind);
                Assert.Contains($"--to {to}: no migration has version {to}", down.Message, StringComparison.Ordinal);
                Assert.Contains("Nothing was reverted", down.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(["1.11", "1.10"], (await For(db, folder).DownAsync(new DownOptions { To = "1.9" })).Steps.Select(s => s.Version));
        Assert.Equal(3, (await For(db, folder).DownAsync(new DownOptions { To = "0" })).Steps.Count);
    }

    [Fact]
    public async Task Down_reverts_newest_first_and_refuses_before_reverting_when_a_down_file_is_missing()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("002_b.up.sql", "CREATE TABLE b (id int);");
        folder.Write("002_b.down.sql", "DROP TABLE b;");
        folder.Write("003_c.up.sql", "CREATE TABLE c (id int);");
        folder.Write("003_c.down.sql", "DROP TABLE c;");
        await For(db, folder).UpAsync();

        var one = await For(db, folder).DownAsync(new DownOptions { Steps = 1 });
        Assert.Equal("003", Assert.Single(one.Steps).Version);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass(\'c\') IS NOT NULL"));
        Assert.Equal(MigrationState.Pending, (await For(db, folder).StatusAsync()).Migrations.Single(m => m.Version == "003").State);

        var e = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).DownAsync(new DownOptions { To = "0" }));
        Assert.Contains("001_a.up.sql has no down file", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was reverted", e.Message, StringComparison.Ordinal);
        Assert.Equal("b", await db.ScalarAsync<string>("SELECT to_regclass('b')::text"));

        var toOne = await For(db, folder).DownAsync(new DownOptions { To = "1" });
        Assert.Equal("002", Assert.Single(toOne.Steps).Version);
        Assert.Equal(["001"], (await db.RowsAsync("SELECT version FROM schema_migrations")).Select(r => r[0]));
    }

    [Fact]
    public async Task Dry_run_prints_the_sql_with_transaction_boundaries_and_changes_nothing()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);");
        folder.Write("001_a.down.sql", "DROP TABLE a;");
        folder.Write("002_i.up.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);");

        var report = await For(db, folder).UpAsync(new UpOptions { DryRun = true });

        Assert.True(report.DryRun);
        Assert.Equal(
            "-- 001_a.up.sql: apply migration 001 (a); then record it in public.schema_migrations\nBEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;\n\n" +
            "-- 002_i.up.sql: apply migration 002 (i); then record it in public.schema_migrations\n-- outside a transaction (CREATE INDEX CONCURRENTLY), statement by statement\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n\n",
            report.Sql);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass(\'schema_migrations\') IS NOT NULL"));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass(\'a\') IS NOT NULL"));

        await For(db, folder).UpAsync(new UpOptions { To = "001" });
        var down = await For(db, folder).DownAsync(new DownOptions { DryRun = true });
        Assert.Contains("DROP TABLE a;", down.Sql, StringComparison.Ordinal);
        Assert.Equal("a", await db.ScalarAsync<string>("SELECT to_regclass('a')::text"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Baseline_marks_older_versions_applied()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        await db.ExecuteAsync("CREATE TABLE legacy (id int)");
        folder.Write("001_legacy.up.sql", "CREATE TABLE legacy (id int);");
        folder.Write("002_more.up.sql", "ALTER TABLE legacy ADD COLUMN name text;");
        await For(db, folder).BaselineAsync("1");

        var report = await For(db, folder).UpAsync();

        Assert.Equal("002", Assert.Single(report.Steps).Version);
        var status = await For(db, folder).StatusAsync();
        Assert.Equal([MigrationState.Applied, MigrationState.Applied], status.Migrations.Select(m => m.State));
        var again = await Assert.ThrowsAsync<FerryException>(() => For(db, folder).BaselineAsync("5"));
        Assert.Contains("no migration history yet", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_standard_function_bodies_and_dollar_quotes_run_as_written()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_funcs.up.sql", """
            CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN a IS NULL THEN 0 ELSE a + 1 END;
            END;
            CREATE FUNCTION shout(s text) RETURNS text LANGUAGE plpgsql AS $fn$
            BEGIN
              RETURN upper(s) || E'!\'; -- not the end';
            END
            $fn$;
            CREATE TABLE "semi;colon" (v text DEFAULT 'a;b');
            """);

        await For(db, folder).UpAsync();

        Assert.Equal(3, await db.ScalarAsync<int>("SELECT add_one(2)"));
        Assert.Equal("HI!'; -- not the end", await db.ScalarAsync<string>("SELECT shout('hi')"));
        Assert.Equal("\"semi;colon\"", await db.ScalarAsync<string>("SELECT to_regclass('\"semi;colon\"')::text"));

        // Outside a transaction too (forced, or for CREATE INDEX CONCURRENTLY), each statement goes unsplit.
        folder.Write("002_atomic.up.sql", "-- ferry:no-transaction\nCREATE FUNCTION f2() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n");
        folder.Write("003_index.up.sql", "CREATE INDEX CONCURRENTLY semi_v ON \"semi;colon\" (v);\nCREATE FUNCTION f3() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 3;\nEND;\n");
        var report = await For(db, folder).UpAsync();
        Assert.Equal([false, false], report.Steps.Select(s => s.Transactional));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT f2()"));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT f3()"));
    }

    [Fact]
    public async Task Second_runner_waits_for_the_lock_and_gives_up_after_the_timeout()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        // Its own application name, to find its sessions.
        var runner = new PostgresTarget(new NpgsqlConnectionStringBuilder(db.Target.ConnectionString) { ApplicationName = "runner-under-test" }, db.Target.Origin);
        var migrator = new Migrator(runner, new MigratorOptions { Directory = folder.Path, LockTimeout = TimeSpan.FromSeconds(0.5) });
        await using (var holder = await HoldLockAsync(db, migrator.LockKey))
        {
            var e = await Assert.ThrowsAsync<FerryException>(() => migrator.UpAsync());
            Assert.Equal(FailureKind.Failed, e.Kind);
            Assert.Contains("held the migration lock", e.Message, StringComparison.Ordinal);
            Assert.Contains($"advisory lock {migrator.LockKey}", e.Message, StringComparison.Ordinal);
            Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('a') IS NOT NULL"));

            // The runner that gave up left no session behind (a backend ends shortly after its client says goodbye).
            var sessions = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runner-under-test' AND datname = current_database()";
            for (var wait = 0; wait < 100 && await db.ScalarAsync<long>(sessions) > 0; wait++)
                await Task.Delay(50);
            Assert.Equal(0, await db.ScalarAsync<long>(sessions));
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({migrator.LockKey})", holder);
            await unlock.ExecuteNonQueryAsync();
        }

        Assert.Single((await migrator.UpAsync()).Steps);
        Assert.Equal(MigratorLockKeyForDefaultTable, new Migrator(db.Target).LockKey);
    }

    [Fact]
    public async Task A_folder_error_is_reported_instead_of_waiting_for_the_lock_and_leaves_the_lock_free()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("notes.sql", "-- not a migration");
        var migrator = For(db, folder, new MigratorOptions { LockTimeout = TimeSpan.FromMinutes(10) });

        // The folder is read while the lock is being taken: another runner holding it does not hide the folder's error.
        await using (await HoldLockAsync(db, migrator.LockKey))
        {
            var held = await Assert.ThrowsAsync<FerryException>(() => migrator.UpAsync());
            Assert.Contains("notes.sql", held.Message, StringComparison.Ordinal);
        }

        var free = await Assert.ThrowsAsync<FerryException>(() => migrator.RepairAsync());
        Assert.Contains("notes.sql", free.Message, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('a') IS NOT NULL"));

        // Whether the abandoned attempt had taken the lock or not, it is free again: a run with the folder fixed gets it.
        File.Delete(Path.Combine(folder.Path, "notes.sql"));
        Assert.Single((await migrator.UpAsync()).Steps);
    }

    /// <summary>A session of its own holding the advisory lock <paramref name="key"/>, as another runner would.</summary>
    static async Task<NpgsqlConnection> HoldLockAsync(TestDatabase db, long key)
    {
        var holder = await db.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", holder);
        await command.ExecuteNonQueryAsync();
        return holder;
    }

    /// <summary>The key docs/migrate.md documents for public.schema_migrations.</summary>
    const long MigratorLockKeyForDefaultTable = -2062869340125639461;

    [Fact]
    public async Task Two_runners_in_one_process_apply_twenty_migrations_exactly_once()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        for (var i = 1; i <= 20; i++)
            folder.Write($"{i:000}_t{i}.up.sql", $"CREATE TABLE t{i} (id int); SELECT pg_sleep(0.01);");

        var runs = await Task.WhenAll(For(db, folder).UpAsync(), For(db, folder).UpAsync());

        Assert.Equal(20, runs.Sum(r => r.Steps.Count));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(DISTINCT version) FROM schema_migrations WHERE success"));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'"));
    }
}
