using System.Diagnostics;
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

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Ferry.Cli.dll"), "migrate", "up", "--dir", dir, "--database", db.Url, "--lock-timeout", "120" })
            info.ArgumentList.Add(arg);
        using var ferry = Process.Start(info)!;
        var stdout = ferry.StandardOutput.ReadToEndAsync();
        var stderr = new System.Text.StringBuilder();
        var waiting = new TaskCompletionSource();
        ferry.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (stderr)
                stderr.AppendLine(e.Data);
            if (e.Data.Contains("Waiting for another migration runner", StringComparison.Ordinal))
                waiting.TrySetResult();
        };
        ferry.BeginErrorReadLine();

        try
        {
            await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (var kill = Process.Start("kill", ["-" + signal, ferry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await ferry.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!ferry.HasExited)
                ferry.Kill();
            Directory.Delete(dir, recursive: true);
        }

        await stdout;
        string errors;
        lock (stderr)
            errors = stderr.ToString();
        Assert.True(ferry.ExitCode == 130, $"exit {ferry.ExitCode}\n{errors}");
        Assert.Contains("cancelled", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal); // No stack trace for an interruption.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
    }
}
