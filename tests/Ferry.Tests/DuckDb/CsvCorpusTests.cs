using System.Globalization;
using System.IO.Compression;
using System.Text;
using Ferry.Copy;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>
/// CSV files that DuckDB's sniffer finds hard, each copied into PostgreSQL: the load reads the file with exactly the
/// dialect and columns the plan found, every data line arrives, and verify (reading the same way) finds it identical.
/// </summary>
public sealed class CsvCorpusTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>An awkward CSV: its file (or glob) name, how to write it, the options a user would give, its columns and data lines.</summary>
    public sealed record Case(string Name, Action<string> Write, string[] Columns, int Rows, CsvOptions? Options = null, string? Glob = null)
    {
        public override string ToString() => Name;
    }

    static Action<string> Text(string text) => path => File.WriteAllText(path, text, new UTF8Encoding(false));

    static string Lines(int from, int to, Func<int, string> line) =>
        string.Concat(Enumerable.Range(from, to - from + 1).Select(i => line(i) + "\n"));

    static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    public static TheoryData<Case> Corpus() =>
    [
        new("quoted_commas.csv", Text("name\n\"Smith, John\"\n\"Doe, Jane\"\n\"Roe, Richard\"\n"), ["name"], 3),
        new("padded.csv", Text("id , name , amount\n 1 , Alice , 2.5 \n  2,  Bob  ,3\n3 ,Carol,  4\n"), ["id", "name", "amount"], 3),
        new("comments.csv", Text("# exported 2024-05-01\n# by the bank\nid,name\n1,a\n2,b\n# a note\n3,c\n"), ["id", "name"], 3),
        new("preamble.csv", Text("Bank export\nAccount;DE12 3456\n\nDate;Text;Amount;Balance\n" +
            Lines(1, 40, i => Invariant($"2024-01-{i % 28 + 1:00};Shop {i}, {i} items;-{i},50;{1000 - i},00"))), ["Date", "Text", "Amount", "Balance"], 40),
        new("mixed_line_ends.csv", Text("a,b\r\n1,x\n2,y\r\n3,z\n"), ["a", "b"], 3, new CsvOptions { Strict = false }),
        new("gzipped.csv.gz", path =>
        {
            using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            gzip.Write(Encoding.UTF8.GetBytes("id,label,at\n" + Lines(1, 5000, i => Invariant($"{i},\"label, {i}\",2024-03-01 10:{i % 60:00}:00"))));
        }, ["id", "label", "at"], 5000),
        new("semicolon.csv", Text("id;amount;label\n1;3,50;x\n2;-1,25;y, z\n3;0,00;\n"), ["id", "amount", "label"], 3),
        new("tabs.tsv", Text("id\tname\tnote\n1\tAnn Lee\ta, b; c\n2\tBo\t\n3\tCy\t\"quoted\ttab\"\n"), ["id", "name", "note"], 3),
        new("quotes_inside.csv", Text("id,said,size\n1,\"He said \"\"hi\"\"\",5\" screen\n2,\"two\nlines\",7\"\n3,plain,\"\"\n"), ["id", "said", "size"], 3),
        new("bom.csv", path => File.WriteAllText(path, "id,name\n1,x\n2,y\n", new UTF8Encoding(true)), ["id", "name"], 2),
        new("header_like_data.csv", Text("1,2,3\n4,5,6\n7,8,9\n"), ["column0", "column1", "column2"], 3),
        new("wide.csv", Text(string.Join(",", Enumerable.Range(0, 900).Select(c => Invariant($"c{c}"))) + "\n" +
            Lines(1, 20, r => string.Join(",", Enumerable.Range(0, 900).Select(c => Invariant($"{r * c}"))))), [.. Enumerable.Range(0, 900).Select(c => Invariant($"c{c}"))], 20),
        new("long_value.csv", Text("id,blob\n1," + new string('x', 1 << 20) + "\n2,short\n"), ["id", "blob"], 2),
        // The sniffer samples the first rows: no quote there, quoted fields with the delimiter further down.
        new("late_quotes.csv", Text("id,comment\n" + Lines(1, 30_000, i => Invariant($"{i},plain {i}")) + Lines(30_001, 30_010, i => Invariant($"{i},\"late, quoted {i}\""))),
            ["id", "comment"], 30_010),
        new("excel_crlf.csv", Text("id,note\r\n1,\"cell line 1\ncell line 2\"\r\n2,plain\r\n"), ["id", "note"], 2),
        new("union", path =>
        {
            File.WriteAllText(Path.Combine(path, "part1.csv"), "id,name\n1,a\n2,b\n");
            File.WriteAllText(Path.Combine(path, "part2.csv"), "name;id;extra\nc;3;x\nd;4;y\n");
        }, ["id", "name", "extra"], 4, Glob: "part*.csv"),
    ];

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Plan_and_load_agree_every_line_arrives_and_verify_finds_it_identical(Case c)
    {
        string source;
        if (c.Glob is { } glob)
        {
            c.Write(_files.Directory);
            source = "csv:" + _files.PathOf(glob);
        }
        else
        {
            c.Write(_files.PathOf(c.Name));
            source = "csv:" + _files.PathOf(c.Name);
        }

        var options = new SourceOptions { ProfileData = false, EngineOptions = c.Options is { } csv ? [csv] : [] };
        Ferry.Schema.TableModel planned;
        await using (var discovering = SourceFactory.Open(source, options, "t"))
            planned = Assert.Single((await discovering.DiscoverAsync(CancellationToken.None)).Tables);
        Assert.Equal(c.Columns, planned.Columns.Select(col => col.SourceName));

        await using var db = await TestCluster.CreateDatabaseAsync();
        var copy = await new CopyRunner(new CopyOptions
        {
            Source = source, TableName = "t", Target = db.Target, RejectsDirectory = _files.PathOf("rejects"), EngineOptions = options.EngineOptions,
        }).RunAsync(CancellationToken.None);
        var table = Assert.Single(copy.Tables);
        Assert.True(copy.Ok, string.Join("; ", copy.Failures) + (table.RejectFile is { } rejects ? File.ReadAllText(rejects) : ""));
        Assert.Equal((c.Rows, c.Rows, 0L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        var types = await db.RowsAsync("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attnum > 0 ORDER BY attnum");
        Assert.Equal(planned.Columns.Select(col => col.Type.ToSql()), types.Select(t => (string)t[0]!));
        Assert.Equal((long)c.Rows, await db.ScalarAsync<long>("SELECT count(*) FROM t"));

        await using var verifying = SourceFactory.Open(source, options, "t");
        var verified = Assert.Single((await new Ferry.Verify.Verifier(db.Target).VerifyAsync(verifying, CancellationToken.None)).Tables);
        Assert.True(verified.Ok, System.Text.Json.JsonSerializer.Serialize(new { verified.Problems, verified.Differences }));
    }
}
