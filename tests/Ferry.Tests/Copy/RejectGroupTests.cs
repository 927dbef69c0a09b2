using System.Text.Json;
using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Copy;

/// <summary>Rejects summed up by column and reason pattern, with samples: in the library's result and copy's --json.</summary>
public sealed class RejectGroupTests : IDisposable
{
    readonly TempDirectory _rejects = new("ferry-rejects-");

    public void Dispose() => _rejects.Dispose();

    // Book.Born: four texts that are no dates and two epochs out of range (two kinds); Pages: one text (another column); Shelf: none.
    static SqliteTestFile Books() => new(
        "CREATE TABLE Book (Id INTEGER PRIMARY KEY, Born DATE, Pages INTEGER, Title TEXT)",
        "INSERT INTO Book VALUES (1, '2001-02-03', 100, 'One'), (2, 'soon', 200, 'Two'), (3, 'later', 300, 'Three'), (4, 'never', 400, 'Four')",
        "INSERT INTO Book VALUES (5, 9000000000000000000, 500, 'Five'), (6, 8000000000000000000, 600, 'Six'), (7, '2001-02-04', 'lots', 'Seven')",
        "INSERT INTO Book VALUES (8, '2001-02-05', 800, 'Eight'), (9, 'whenever', 900, 'Nine')",
        "CREATE TABLE Shelf (Id INTEGER PRIMARY KEY)",
        "INSERT INTO Shelf VALUES (1)");

    const string NotATimestamp = "text '…' is not a timestamp";
    const string OutOfRange = "integer … is not a timestamp (as Unix epoch it is out of range)";
    const string NotAnInteger = "text '…' is not an integer";

    [Fact]
    public async Task A_copy_groups_its_rejects_by_column_and_reason_with_samples()
    {
        using var file = Books();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = _rejects.Path }).RunAsync(default);

        Assert.Empty(result.Tables.Single(t => t.Target == "public.shelf").Rejects);
        var book = result.Tables.Single(t => t.Target == "public.book");
        Assert.Equal(7, book.RowsRejected);
        Assert.Equal(
            [("Born", NotATimestamp, 4L), ("Born", OutOfRange, 2L), ("Pages", NotAnInteger, 1L)],
            book.Rejects.Select(g => (g.Column, g.Reason, g.Rows)));
        Assert.Equal(
            [("2", "soon"), ("3", "later"), ("4", "never")],
            book.Rejects[0].Samples.Select(s => (Assert.Single(s.Key, k => k.Key == "id").Value, s.Value)));
        Assert.Equal(["9000000000000000000", "8000000000000000000"], book.Rejects[1].Samples.Select(s => s.Value));
        Assert.Equal(("7", "lots"), (book.Rejects[2].Samples[0].Key[0].Value, book.Rejects[2].Samples[0].Value));
        Assert.Equal(book.RowsRejected, book.Rejects.Sum(g => g.Rows));
    }

    [Fact]
    public async Task Copy_json_lists_rejects_per_table_and_the_phases_and_mapping()
    {
        using var file = Books();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetDirectoryName(file.Path), "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", _rejects.Path, "--json");

        Assert.True(copy.ExitCode == 1, copy.ToString());
        var json = copy.Json();
        var tables = json.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        Assert.Equal(0, tables["public.shelf"].GetProperty("rejects").GetArrayLength());
        var rejects = tables["public.book"].GetProperty("rejects");
        Assert.Equal(["column", "reason", "rows", "samples"], rejects[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            [("Born", NotATimestamp, 4L), ("Born", OutOfRange, 2L), ("Pages", NotAnInteger, 1L)],
            rejects.EnumerateArray().Select(g => (g.GetProperty("column").GetString(), g.GetProperty("reason").GetString(), g.GetProperty("rows").GetInt64())));
        var samples = rejects[0].GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(
            [("2", "soon"), ("3", "later"), ("4", "never")],
            samples.Select(s => (s.GetProperty("key").GetProperty("id").GetString(), s.GetProperty("value").GetString())));

        Assert.Equal(
            ["discover and plan", "create", "load", "keys and indexes", "foreign keys", "identities and views", "analyze and count check"],
            json.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        var phases = json.GetProperty("phases").EnumerateArray().Select(p => (Started: p.GetProperty("started").GetDouble(), Seconds: p.GetProperty("seconds").GetDouble())).ToList();
        Assert.Equal(0, phases[0].Started);
        for (var i = 1; i < phases.Count; i++)
            Assert.Equal(phases[i - 1].Started + phases[i - 1].Seconds, phases[i].Started, 0.0015); // each rounded to 1 ms
        var born = json.GetProperty("mapping").EnumerateArray().Single(m => m.GetProperty("column").GetString() == "Born");
        Assert.Equal(("Book", "DATE", "timestamp without time zone"), (born.GetProperty("table").GetString(), born.GetProperty("source_type").GetString(), born.GetProperty("target_type").GetString()));
    }

    [Fact]
    public void Groups_past_the_cap_are_counted_as_other_reasons_and_values_cut_only_where_they_stand_alone()
    {
        var groups = new RejectGroups();
        for (var i = 0; i < RejectGroup.MaxGroups + 5; i++)
        {
            for (var row = 0; row < 2; row++)
                groups.Add(Issue("c", $"v{row}", $"value v{row} fails rule {i}"));
        }

        var list = groups.ToList();
        Assert.Equal(RejectGroup.MaxGroups + 1, list.Count);
        Assert.Equal(("c", "value … fails rule 0", 2L), (list[0].Column, list[0].Reason, list[0].Rows));
        var other = list[^1];
        Assert.Equal((null, RejectGroup.OtherReasons, 10L, 3), (other.Column, other.Reason, other.Rows, other.Samples.Count));

        // "5" is not cut out of numeric(15,2) nor out of 15; a shortened quote is cut out as the value it previews.
        Assert.Equal((20, 1), RejectGroups.Quoted("numeric(15,2) given 5", "5"));
        Assert.Equal((-1, 0), RejectGroups.Quoted("numeric(15,2) is full", "5"));
        var preview = new string('x', 57);
        Assert.Equal((6, 60), RejectGroups.Quoted($"text '{preview}...' is not a date", new string('x', 80)));
    }

    [Fact]
    public void A_reject_that_joins_a_group_allocates_nothing()
    {
        var groups = new RejectGroups();
        var issues = Enumerable.Range(0, 1_000).Select(i => Issue("n", $"{i}", $"integer {i} is out of range for smallint")).ToList();
        foreach (var issue in issues.Take(RejectGroup.SampleCount))
            groups.Add(issue);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = RejectGroup.SampleCount; i < issues.Count; i++)
            groups.Add(issues[i]);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        var group = Assert.Single(groups.ToList());
        Assert.Equal(("integer … is out of range for smallint", 1_000L), (group.Reason, group.Rows));
    }

    static RowIssue Issue(string column, string value, string reason) => new([new("id", value)], column, value, reason);
}
