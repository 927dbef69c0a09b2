using Ferry.Sources.DuckDb.Native;

namespace Ferry.Tests.DuckDb;

/// <summary>A temp directory where tests make DuckDB databases, Parquet and CSV files with DuckDB itself.</summary>
internal sealed class DuckDbTestFiles : IDisposable
{
    public DuckDbTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "ferry-duckdb-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>
    /// A CSV of <paramref name="rows"/> rows <c>id,n,d,f</c> (n = id × 7, d a date, f = id + 0.25) whose row
    /// <paramref name="badId"/> (file line badId + 1) is <paramref name="badLine"/> instead: far past what DuckDB's sniffer samples.
    /// </summary>
    public static void WriteLateBadCsv(string path, int rows, int badId, string badLine)
    {
        using var writer = new StreamWriter(path);
        writer.Write("id,n,d,f\n");
        for (var id = 1; id <= rows; id++)
        {
            if (id == badId)
                writer.Write(badLine + "\n");
            else
                writer.Write(FormattableString.Invariant($"{id},{id * 7},{new DateOnly(2000, 1, 1).AddDays(id % 3650):yyyy-MM-dd},{id}.25\n"));
        }
    }

    /// <summary>Runs SQL in a database file (created if missing), or in memory when <paramref name="database"/> is null.</summary>
    public static void Execute(string? database, params string[] statements)
    {
        using var db = DuckDbDatabase.Open(database, readOnly: false);
        using var connection = db.Connect();
        foreach (var sql in statements)
            connection.Execute(sql);
    }

    /// <summary>Verifies the copy of <paramref name="source"/>'s one table identical, runs <paramref name="change"/> on the target, then expects verify to name row <paramref name="id"/> changed (any difference when the table has no key).</summary>
    public static async Task VerifyIdenticalThenChangedAsync(Ferry.Tests.Infrastructure.TestDatabase db, Func<Ferry.Sources.ISource> open, string change, long id = 1)
    {
        await using (var source = open())
        {
            var verified = Assert.Single((await new Ferry.Verify.Verifier(db.Target).VerifyAsync(source, default)).Tables);
            Assert.True(verified.Ok, System.Text.Json.JsonSerializer.Serialize(new { verified.Problems, verified.Differences }));
        }

        await db.ExecuteAsync(change);
        await using (var source = open())
        {
            var changed = Assert.Single((await new Ferry.Verify.Verifier(db.Target).VerifyAsync(source, default)).Tables);
            Assert.False(changed.Ok);
            if (changed.Key.Count > 0)
                Assert.Equal([(id, "changed")], changed.Differences.Select(d => (Convert.ToInt64(d.Key!["id"], System.Globalization.CultureInfo.InvariantCulture), d.Kind)).ToList());
            else
                Assert.NotEmpty(changed.Differences); // keyless: compared as a multiset
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
