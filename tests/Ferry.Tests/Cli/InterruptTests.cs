using Ferry.Migrations.Internal;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Cli;

/// <summary>Ctrl+C or SIGTERM (a real signal to a real ferry process) becomes cancellation: a clean stop, exit 130.</summary>
public sealed class InterruptTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_while_waiting_for_the_migration_lock_stops_cleanly_and_applies_nothing(string signal)
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("ferry-sigint-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "001_create_t.up.sql"), "CREATE TABLE t (id int);\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "001_create_t.down.sql"), "DROP TABLE t;\n");

        // Another runner holds the lock, so ferry waits (polling) until it is interrupted.
        await using var holder = await db.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock.KeyFor("public.schema_migrations")})", holder))
            await take.ExecuteNonQueryAsync();

        CliResult result;
        try
        {
            // The guards only stop a hang: a loaded machine may take long to start the process.
            await using var ferry = FerryProcess.Start(dir, "migrate", "up", "--dir", dir, "--database", db.Url, "--lock-timeout", "600");
            Assert.True(await ferry.WaitForStderrAsync("Waiting for another migration runner"), ferry.Stderr);
            await ferry.SignalAsync(signal);
            result = await ferry.ExitAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        var errors = result.Stderr;
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("cancelled", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal); // No stack trace for an interruption.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
    }
}
