using Ferry.Journal;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Journal;

/// <summary>The journal through the library: its versioned tables, concurrent first runs, a newer Ferry's journal.</summary>
public sealed class RunJournalTests
{
    static RunStart Start(string kind) => new(kind, "ferry " + kind, "9.9.9", "test", "postgres://x@y/z", "host", "user");

    [Fact]
    public async Task Concurrent_first_runs_make_the_journal_once_and_each_get_their_row()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();

        var journals = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => RunJournal.StartAsync(db.Target, Start("copy"), CancellationToken.None)));
        try
        {
            Assert.All(journals, j => Assert.Null(j.Problem));
            Assert.Equal(6, journals.Select(j => j.RunId).Distinct().Count());
            Assert.Equal("1", await db.ScalarAsync<string>("SELECT value FROM ferry.meta WHERE key = 'journal_schema'"));
            Assert.All(await RunHistory.ListAsync(db.Target, null, 10), r => Assert.Equal(RunOutcome.Running, r.Outcome));
        }
        finally
        {
            foreach (var journal in journals)
                await journal.CompleteAsync(RunOutcome.Ok, 0, """{"ok":true}""", "done\n");
        }

        var last = await RunHistory.GetAsync(db.Target, null);
        Assert.NotNull(last);
        Assert.Equal((RunOutcome.Ok, 0, "done\n", true), (last.Outcome, last.ExitCode, last.Summary, last.Document!.Value.GetProperty("ok").GetBoolean()));
        Assert.Equal(("test", "host", "user", "9.9.9"), (last.Environment, last.ClientHost, last.ClientUser, last.Version));
        Assert.True(last.Seconds >= 0);
    }

    [Fact]
    public async Task A_journal_a_newer_Ferry_made_is_used_as_it_is_and_a_missing_one_reads_as_empty()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        Assert.Empty(await RunHistory.ListAsync(db.Target, null, 10));
        Assert.Null(await RunHistory.GetAsync(db.Target, 1));

        await using (var first = await RunJournal.StartAsync(db.Target, Start("verify"), CancellationToken.None))
            await first.CompleteAsync(RunOutcome.Problems, 1, null, null);
        await db.ExecuteAsync("UPDATE ferry.meta SET value = '99' WHERE key = 'journal_schema'; ALTER TABLE ferry.runs ADD COLUMN later text");

        await using var second = await RunJournal.StartAsync(db.Target, Start("copy"), CancellationToken.None);
        await second.CompleteAsync(RunOutcome.Cancelled, 130, null, null);

        Assert.Null(second.Problem);
        Assert.Equal("99", await db.ScalarAsync<string>("SELECT value FROM ferry.meta WHERE key = 'journal_schema'"));
        Assert.Equal([(RunOutcome.Cancelled, "copy"), (RunOutcome.Problems, "verify")], (await RunHistory.ListAsync(db.Target, null, 10)).Select(r => (r.Outcome, r.Kind)));
        Assert.Equal(second.RunId, second.Record!.Id);
        Assert.Throws<FerryException>(() => RunHistory.ParseId("yesterday"));
        Assert.Null(RunHistory.ParseId("LAST"));
    }
}
