using Ferry.Copy;
using Ferry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sqlite;

/// <summary>DEFERRABLE foreign keys (Django declares every one DEFERRABLE INITIALLY DEFERRED) keep their timing.</summary>
public sealed class SqliteDeferrableForeignKeyTests
{
    // Django's DDL, and each form of SQLite's defer clause. A column's defer clause applies to the foreign key declared
    // last, even one of an earlier column: g's makes f's deferred.
    static readonly string[] Schema =
    [
        "CREATE TABLE \"auth_user\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"username\" varchar(150) NOT NULL UNIQUE)",
        "CREATE TABLE \"blog_post\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"title\" varchar(200) NOT NULL, " +
        "\"author_id\" integer NOT NULL REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)",
        "CREATE INDEX \"blog_post_author_id_idx\" ON \"blog_post\" (\"author_id\")",
        "CREATE TABLE forms (id INTEGER PRIMARY KEY, " +
        "a INT REFERENCES auth_user(id) NOT DEFERRABLE INITIALLY DEFERRED, " +
        "b INT REFERENCES auth_user ON DELETE CASCADE DEFERRABLE, " +
        "c INT CONSTRAINT fk_c REFERENCES auth_user(id) MATCH SIMPLE NOT NULL DEFERRABLE INITIALLY IMMEDIATE, " +
        "d INT, e INT REFERENCES auth_user(id), f INT REFERENCES auth_user(id), g INT DEFERRABLE INITIALLY DEFERRED, " +
        "FOREIGN KEY (d) REFERENCES auth_user(id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED)",
        "INSERT INTO auth_user VALUES (1, 'ann')",
        "INSERT INTO blog_post VALUES (1, 'Hello', 1)",
        "INSERT INTO forms VALUES (1, 1, 1, 1, 1, 1, 1, NULL)",
    ];

    /// <summary>SQLite's own answer: a foreign key is deferred when a statement breaking it succeeds inside a transaction.</summary>
    static bool DeferredInSqlite(string path, string table, string column)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Foreign Keys=True");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE {table} SET {column} = 999";
        try
        {
            command.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return false;
        }
        finally
        {
            transaction.Rollback();
        }
    }

    [Fact]
    public async Task Deferrable_foreign_keys_are_created_deferrable_and_a_child_may_come_before_its_parent()
    {
        using var file = new SqliteTestFile(Schema);
        await using var db = await TestCluster.CreateDatabaseAsync("deferrable");
        var result = await new CopyRunner(new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Path.GetTempPath() }).RunAsync(default);
        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("DEFERRABLE", StringComparison.Ordinal));

        var constraints = (await db.RowsAsync(
                "SELECT conrelid::regclass::text || '.' || a.attname, condeferrable, condeferred FROM pg_constraint c " +
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] WHERE contype = 'f' ORDER BY 1"))
            .Select(r => ((string)r[0]!, (bool)r[1]!, (bool)r[2]!)).ToList();
        Assert.Equal(
            [
                ("blog_post.author_id", true, true), ("forms.a", false, false), ("forms.b", true, false), ("forms.c", true, false),
                ("forms.d", true, true), ("forms.e", false, false), ("forms.f", true, true),
            ],
            constraints);
        foreach (var (column, _, deferred) in constraints)
        {
            var (table, name) = (column.Split('.')[0], column.Split('.')[1]);
            Assert.True(deferred == DeferredInSqlite(file.Path, table, name), $"{column}: PostgreSQL defers it: {deferred}; SQLite does not agree");
        }

        // What Django does in a transaction: the child row first, its parent before the commit.
        await db.ExecuteAsync("BEGIN; INSERT INTO blog_post VALUES (2, 'Early', 2); INSERT INTO auth_user VALUES (2, 'bob'); COMMIT");
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM blog_post"));
        var immediate = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("INSERT INTO forms (id, c, e) VALUES (2, 1, 77)"));
        Assert.Equal("23503", immediate.SqlState);

        // The printed plan says the same.
        var plan = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--dry-run");
        Assert.Contains("REFERENCES public.auth_user (id) ON DELETE NO ACTION ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED NOT VALID", plan.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_a_foreign_key_whose_timing_differs_from_the_source()
    {
        using var file = new SqliteTestFile(Schema);
        await using var db = await TestCluster.CreateDatabaseAsync("deferrable_verify");
        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Path.GetTempPath());
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url);
        Assert.True(clean.ExitCode == 0, clean.ToString());

        // A target made as before: the key exists, but checks at once.
        var name = await db.ScalarAsync<string>("SELECT conname FROM pg_constraint WHERE conrelid = 'blog_post'::regclass AND contype = 'f'");
        await db.ExecuteAsync($"ALTER TABLE blog_post ALTER CONSTRAINT {name} NOT DEFERRABLE");
        var verify = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"foreign key {name} is NOT DEFERRABLE in the target but DEFERRABLE INITIALLY DEFERRED in the source", verify.Stdout, StringComparison.Ordinal);
    }
}
