using Ferry.Migrations.Internal;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Migrations;

/// <summary>What is at the history table's name: another runner's table is refused and left as it is; an older Ferry table keeps working.</summary>
public sealed class HistoryTableShapeTests
{
    static Task<CliResult> Ferry(TestDatabase db, MigrationFolder folder, params string[] args) =>
        CliRunner.RunAsync(null, folder.Path, ["migrate", .. args, "--database", db.Url, "--dir", folder.Path]);

    /// <summary>Every column (name, type, default) and every row of the table, to see that nothing changed.</summary>
    static Task<string> SnapshotAsync(TestDatabase db, string table) => db.ScalarAsync<string>($"""
        SELECT (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped)
            || ' | ' || coalesce((SELECT string_agg(t::text, ', ' ORDER BY t::text) FROM {table} t), '')
        """);

    [Theory]
    [InlineData("golang-migrate", "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (20240101120000, false)")]
    [InlineData("dbmate (or Rails)", "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101120000')")]
    [InlineData("Rails (Active Record)", """
        CREATE TABLE schema_migrations (version character varying NOT NULL PRIMARY KEY);
        CREATE TABLE ar_internal_metadata (key character varying NOT NULL PRIMARY KEY, value character varying, created_at timestamp(6) NOT NULL, updated_at timestamp(6) NOT NULL);
        INSERT INTO schema_migrations VALUES ('20240101120000'), ('20240202120000')
        """)]
    [InlineData("Flyway", """
        CREATE TABLE schema_migrations (installed_rank integer NOT NULL PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL,
            script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL);
        INSERT INTO schema_migrations VALUES (1, '1', 'init', 'SQL', 'V1__init.sql', 123, 'app', '2024-01-01', 5, true)
        """)]
    [InlineData("goose", "CREATE TABLE schema_migrations (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp DEFAULT now()); INSERT INTO schema_migrations (version_id, is_applied, tstamp) VALUES (0, true, '2024-01-01')")]
    public async Task Another_runners_history_table_is_refused_and_left_as_it_is(string tool, string create)
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_create_t.up.sql", "CREATE TABLE t (id int);\n");
        await db.ExecuteAsync(create);
        var before = await SnapshotAsync(db, "schema_migrations");

        string[][] commands = [["status"], ["up"], ["baseline", "--version", "1"], ["validate"], ["down"], ["repair"], ["init"]];
        foreach (var command in commands)
        {
            var result = await Ferry(db, folder, command);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', command)}: {result}");
            Assert.Contains($"public.schema_migrations looks like {tool}'s history table (", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("--history-table", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("bug in Ferry", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(db, "schema_migrations"));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('t') IS NOT NULL"));

        // The way out: a table of Ferry's own.
        var own = await Ferry(db, folder, "up", "--history-table", "public.ferry_migrations");
        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.Equal(before, await SnapshotAsync(db, "schema_migrations"));
    }

    [Fact]
    public async Task A_history_table_missing_a_column_is_named_not_a_crash()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_create_t.up.sql", "CREATE TABLE t (id int);\n");
        Assert.Equal(0, (await Ferry(db, folder, "up")).ExitCode);
        await db.ExecuteAsync("ALTER TABLE schema_migrations DROP COLUMN applied_by, DROP COLUMN error");
        var before = await SnapshotAsync(db, "schema_migrations");

        foreach (var command in new[] { "status", "up" })
        {
            var result = await Ferry(db, folder, command);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("public.schema_migrations is not a Ferry history table (installed_rank bigint, version text, ", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("it lacks applied_by, error.", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("--history-table", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(db, "schema_migrations"));
    }

    [Fact]
    public async Task An_older_Ferry_history_table_keeps_working_and_gains_the_progress_column()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        // The table as Ferry created it before statements_done, with one applied migration.
        await db.ExecuteAsync("""
            CREATE TABLE schema_migrations (
                installed_rank bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, version text, name text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('versioned', 'repeatable', 'baseline')), checksum text,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), execution_ms bigint, applied_by text NOT NULL DEFAULT current_user,
                success boolean NOT NULL, error text);
            CREATE UNIQUE INDEX schema_migrations_version_key ON schema_migrations (version) WHERE version IS NOT NULL;
            CREATE TABLE t (id int);
            """);
        var checksum = MigrationScript.ChecksumOf("CREATE TABLE t (id int);\n");
        await db.ExecuteAsync($"INSERT INTO schema_migrations (version, name, kind, checksum, execution_ms, success) VALUES ('001', 'create_t', 'versioned', '{checksum}', 3, true)");
        folder.Write("001_create_t.up.sql", "CREATE TABLE t (id int);\n");
        folder.Write("002_index.up.sql", "CREATE INDEX CONCURRENTLY t_id ON t (id);\n");

        var status = await Ferry(db, folder, "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(["applied", "pending"], status.Json().GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("state").GetString()));
        Assert.False(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'statements_done')"));

        var up = await Ferry(db, folder, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal("integer", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'statements_done'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE success"));

        // What an older Ferry reads and writes still works on the upgraded table.
        await db.ExecuteAsync("INSERT INTO schema_migrations (version, name, kind, checksum, execution_ms, applied_by, success, error) VALUES ('003', 'old', 'versioned', 'x', 1, current_user, true, NULL)");
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT installed_rank, kind, version, name, checksum, applied_at, execution_ms, applied_by, success, error FROM schema_migrations) r"));
    }
}
