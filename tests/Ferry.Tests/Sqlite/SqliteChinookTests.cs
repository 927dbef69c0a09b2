using Ferry.Schema;
using Ferry.Sources;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteChinookTests
{
    [Fact]
    public async Task Discovers_chinook_tables_keys_and_types()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        var model = await file.DiscoverAsync();

        Assert.Equal(11, model.Tables.Count);
        Assert.All(model.Tables, t => Assert.NotNull(t.PrimaryKey));
        Assert.Equal("sqlite:" + file.Path, model.Source);

        var invoice = model.Tables.Single(t => t.SourceName == "Invoice");
        Assert.Equal("numeric(10,2)", invoice.Column("Total").Type.ToSql());
        Assert.Equal("DECIMAL(p,s) → numeric(p,s)", invoice.Column("Total").Rule);
        Assert.Equal(412, invoice.EstimatedRows);

        var employee = model.Tables.Single(t => t.SourceName == "Employee");
        Assert.Equal("timestamp without time zone", employee.Column("BirthDate").Type.ToSql());

        var artist = model.Tables.Single(t => t.SourceName == "Artist");
        var artistId = artist.Column("ArtistId");
        Assert.True(artistId.Identity);
        Assert.Equal(PgType.BigInt, artistId.Type);
        Assert.Equal(["artistid"], artist.PrimaryKey!.Columns);
        Assert.Equal("pk_artist", artist.PrimaryKey.Name);
        Assert.Equal("varchar(120)", artist.Column("Name").Type.ToSql());

        var playlistTrack = model.Tables.Single(t => t.SourceName == "PlaylistTrack");
        Assert.Equal(["playlistid", "trackid"], playlistTrack.PrimaryKey!.Columns);
        Assert.False(playlistTrack.Column("PlaylistId").Identity);

        var track = model.Tables.Single(t => t.SourceName == "Track");
        Assert.Equal(3, track.ForeignKeys.Count);
        var toAlbum = track.ForeignKeys.Single(f => f.ReferencedTable == "Album");
        Assert.Equal(["albumid"], toAlbum.Columns);
        Assert.Equal(["albumid"], toAlbum.ReferencedColumns);
        Assert.Equal("NO ACTION", toAlbum.OnDelete);
        Assert.Equal(11, model.Tables.Sum(t => t.ForeignKeys.Count));
        Assert.Contains(model.Tables.Single(t => t.SourceName == "Employee").ForeignKeys, f => f.ReferencedTable == "Employee");
    }

    [Fact]
    public async Task Ranges_cover_every_chinook_row_exactly_once()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var source = file.Source();
        var model = await source.DiscoverAsync(CancellationToken.None);
        var track = model.Tables.Single(t => t.SourceName == "Track");
        var whole = RecordingSink.ReadAll(source, track, ReadRange.All);
        Assert.Equal(3503, whole.Count);
        Assert.All(whole, r => Assert.False(r.Rejected));

        // Small tables are not split; force the split on the same table by pretending it is large.
        track.EstimatedRows = 10_000_000;
        var ranges = source.PlanRanges(track, 4);
        Assert.Equal(4, ranges.Count);
        // The outer ranges are open (rows beyond the span seen at discovery are read too), and say so in messages.
        Assert.Equal(["rows ..875", "rows 876..1751", "rows 1752..2627", "rows 2628.."], ranges.Select(r => r.ToString()));
        var ids = ranges.SelectMany(r => RecordingSink.ReadAll(source, track, r)).Select(r => (long)r[0].Value!).ToList();
        Assert.Equal(3503, ids.Count);
        Assert.Equal(3503, ids.Distinct().Count());
        Assert.Equal(whole.Select(r => (long)r[0].Value!).Order(), ids.Order());
    }

    [Fact]
    public async Task Readers_run_in_parallel_on_their_own_connections()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var source = file.Source();
        var model = await source.DiscoverAsync(CancellationToken.None);
        var counts = await Task.WhenAll(model.Tables.Select(t => Task.Run(() => (t.SourceName, Rows: RecordingSink.ReadAll(source, t, ReadRange.All)))));
        Assert.Equal(model.Tables.Select(t => t.EstimatedRows), counts.Select(c => (long?)c.Rows.Count));
        Assert.All(counts, c => Assert.DoesNotContain(c.Rows, r => r.Rejected));
        Assert.Equal(15607, counts.Sum(c => c.Rows.Count));
    }
}
