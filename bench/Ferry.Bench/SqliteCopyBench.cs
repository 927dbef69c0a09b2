using System.Diagnostics;
using System.Globalization;
using Ferry.Connections;
using Ferry.Copy;
using Ferry.Local;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ferry.Bench;

/// <summary>
/// SQLite → PostgreSQL: a generated table (integer key, integer, REAL, text, DATETIME text, BOOLEAN,
/// NUMERIC(12,2)) copied by Ferry and by pgloader into fresh databases, each as its own process (wall time and
/// peak RSS by /usr/bin/time), and PostgreSQL's own server-side <c>COPY … FROM file (FORMAT binary)</c> of the
/// same rows plus the primary key build, as the floor.
/// </summary>
public static class SqliteCopyBench
{
    public static async Task<int> RunAsync(long rows, string? databaseUrl, string directory)
    {
        Directory.CreateDirectory(directory);
        var file = Path.GetFullPath(Path.Combine(directory, "bench.db"));
        var clock = Stopwatch.StartNew();
        Generate(file, rows);
        Console.Error.WriteLine($"generated {rows:N0} rows: {new FileInfo(file).Length / 1e6:F1} MB SQLite in {clock.Elapsed.TotalSeconds:F1} s");

        LocalCluster? cluster = null;
        PostgresTarget server;
        if (databaseUrl is not null)
            server = PostgresTarget.Parse(databaseUrl);
        else
        {
            cluster = new LocalCluster(Path.Combine(directory, "pg"), new LocalClusterOptions { NoSync = true });
            server = await cluster.StartAsync();
        }

        try
        {
            var ferryDb = await FreshDatabaseAsync(server, "bench_ferry");
            var pgloaderDb = await FreshDatabaseAsync(server, "bench_pgloader");
            var copyDb = await FreshDatabaseAsync(server, "bench_server_copy");

            var self = Environment.ProcessPath!;
            string[] selfArgs = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(SqliteCopyBench).Assembly.Location] : [];
            var ferry = Measure(self, [.. selfArgs, "sqlite-copy-ferry", file, ferryDb.ConnectionString, Path.Combine(directory, "rejects")]);
            var ferryRows = await ScalarAsync(ferryDb, "SELECT count(*) FROM measurements");
            if (ferryRows != rows)
                throw new InvalidOperationException($"Ferry copied {ferryRows} of {rows} rows.");

            var pgloader = Measure("pgloader", [$"sqlite://{file}", PgloaderUrl(pgloaderDb)]);
            var pgloaderRows = await ScalarAsync(pgloaderDb, "SELECT count(*) FROM measurements");

            // The floor: the server reads Ferry's rows back from a binary file, then builds the same primary key.
            var binary = Path.Combine("/tmp", $"ferry-bench-{Environment.ProcessId}.bin");
            await ExecuteAsync(ferryDb, $"COPY measurements TO '{binary}' (FORMAT binary)");
            await ExecuteAsync(copyDb, "CREATE TABLE measurements (id bigint NOT NULL, device_id bigint NOT NULL, value double precision, label text, recorded_at timestamp, ok boolean, amount numeric(12,2))");
            clock.Restart();
            await ExecuteAsync(copyDb, $"COPY measurements FROM '{binary}' (FORMAT binary)");
            await ExecuteAsync(copyDb, "ALTER TABLE measurements ADD PRIMARY KEY (id)");
            var floor = clock.Elapsed.TotalSeconds;
            try
            {
                File.Delete(binary);
            }
            catch (UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"left {binary} (written by the server's user)");
            }

            Console.WriteLine($"rows {rows}");
            Console.WriteLine($"ferry copy sqlite:bench.db       {ferry.Seconds,8:F2} s  peak RSS {ferry.PeakMb,6:F0} MB  ({rows / ferry.Seconds:N0} rows/s, whole run: discovery, DDL, load, keys, ANALYZE, count check)");
            Console.WriteLine($"pgloader sqlite:///bench.db      {pgloader.Seconds,8:F2} s  peak RSS {pgloader.PeakMb,6:F0} MB  ({pgloaderRows:N0} rows arrived)");
            Console.WriteLine($"server-side COPY binary + PK     {floor,8:F2} s");
            Console.WriteLine($"ferry vs pgloader: {pgloader.Seconds / ferry.Seconds:F2}x faster; ferry vs server-side COPY: {ferry.Seconds / floor:F2}x");
            return 0;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.StopAsync(immediate: true);
                cluster.Delete();
            }
        }
    }

    /// <summary>The Ferry side, run as its own process so its peak RSS is Ferry's alone.</summary>
    public static async Task<int> CopyAsync(string file, string connectionString, string rejects)
    {
        var result = await new CopyRunner(new CopyOptions
        {
            Source = "sqlite:" + file,
            Target = PostgresTarget.Parse(connectionString),
            RejectsDirectory = rejects,
        }).RunAsync(CancellationToken.None);
        Console.Error.WriteLine("ferry steps: " + string.Join(", ", result.Phases.Select(p => $"{p.Phase} {p.Seconds:F2} s")));
        return result.Ok ? 0 : 1;
    }

    static void Generate(string file, long rows)
    {
        File.Delete(file);
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                CREATE TABLE measurements (id INTEGER PRIMARY KEY, device_id INTEGER NOT NULL, value REAL, label TEXT,
                                           recorded_at DATETIME, ok BOOLEAN, amount NUMERIC(12,2));
                """;
            setup.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO measurements VALUES ($id, $device, $value, $label, $at, $ok, $amount)";
        var parameters = new[] { "$id", "$device", "$value", "$label", "$at", "$ok", "$amount" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (long i = 1; i <= rows; i++)
        {
            parameters[0].Value = i;
            parameters[1].Value = i % 1000;
            parameters[2].Value = i * 0.37;
            parameters[3].Value = "label-" + (i % 5000).ToString(CultureInfo.InvariantCulture) + "-abcdefgh";
            parameters[4].Value = start.AddSeconds(i * 7).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            parameters[5].Value = i % 2;
            parameters[6].Value = Math.Round((i % 100_000) / 7.0, 2);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    sealed record Run(double Seconds, double PeakMb);

    /// <summary>Runs a program under /usr/bin/time: wall seconds and peak RSS.</summary>
    static Run Measure(string program, string[] args)
    {
        var report = Path.GetTempFileName();
        var info = new ProcessStartInfo("/usr/bin/time") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-o", report, "-f", "%e %M", program }.Concat(args))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var fields = File.ReadAllLines(report).Last().Split(' ');
        File.Delete(report);
        if (process.ExitCode != 0)
            Console.Error.WriteLine($"{program} exited with {process.ExitCode}");
        return new Run(double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture) / 1024);
    }

    static string PgloaderUrl(PostgresTarget target) => $"postgresql://{target.Username}@{target.Host}:{target.Port}/{target.Database}";

    static async Task<PostgresTarget> FreshDatabaseAsync(PostgresTarget server, string name)
    {
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        return server.WithDatabase(name);
    }

    static async Task<long> ScalarAsync(PostgresTarget target, string sql)
    {
        await using var connection = await target.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    static async Task ExecuteAsync(PostgresTarget target, string sql)
    {
        await using var connection = await target.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
