using System.Buffers.Binary;
using System.Text;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Copy;

/// <summary>
/// Columns with an empty name, which no PostgreSQL identifier can be: the planner names them <c>column_N</c> (N their
/// 1-based position) with a note, verify finds them by the same rule, and a real column of that name collides.
/// DuckDB names them itself before Ferry sees them (a CSV header cell <c>""</c> → <c>column1</c>, 0-based; a Parquet
/// field "" → <c>C0</c>; a DuckDB table cannot have one): those names are kept, and the copy verifies.
/// </summary>
public sealed class UnnamedColumnTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_sqlite_column_without_a_name_becomes_column_n_with_a_note_and_verifies()
    {
        // SQLite takes "" as a name; "   " is one PostgreSQL takes too (quoted), so it stays as it is.
        using var sqlite = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, \"\" INTEGER, \"   \" TEXT)",
            "INSERT INTO t VALUES (1, 10, 'a'), (2, NULL, 'b'), (3, 30, NULL)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(NoEnvironment, _files.Directory, "copy", "sqlite:" + sqlite.Path, "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--verify");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains("column 2 of t has no name in the source (PostgreSQL names cannot be empty); named column_2", copy.Stderr, StringComparison.Ordinal);
        var columns = await db.RowsAsync("SELECT attname::text FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum");
        Assert.Equal(["id", "column_2", "   "], columns.Select(c => (string)c[0]!));
        Assert.Equal([[1L, 10L, "a"], [2L, null, "b"], [3L, 30L, null]], await db.RowsAsync("SELECT id, column_2, \"   \" FROM t ORDER BY id"));

        string[] verify = ["verify", "sqlite:" + sqlite.Path, "--to", db.Url, "--json"];
        var same = await CliRunner.RunAsync(NoEnvironment, _files.Directory, verify);
        Assert.True(same.ExitCode == 0, same.ToString());
        await db.ExecuteAsync("UPDATE t SET column_2 = 11 WHERE id = 1");
        var changed = await CliRunner.RunAsync(NoEnvironment, _files.Directory, verify);
        Assert.True(changed.ExitCode == 1, changed.ToString());
        Assert.Equal(1, changed.Json().GetProperty("tables")[0].GetProperty("differences")[0].GetProperty("key").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Keys_indexes_checks_and_foreign_keys_on_an_unnamed_sqlite_column_name_its_column_n()
    {
        using var sqlite = new SqliteTestFile(
            "CREATE TABLE t (\"\" INTEGER PRIMARY KEY, b INTEGER UNIQUE, c INTEGER CHECK (\"\" > 0))",
            "CREATE INDEX t_pair ON t (\"\", b)",
            "CREATE TABLE u (x INTEGER REFERENCES t (\"\"))",
            "CREATE VIEW v AS SELECT \"\" FROM t",
            "INSERT INTO t VALUES (1, 2, 3)", "INSERT INTO u VALUES (1)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(NoEnvironment, _files.Directory, "copy", "sqlite:" + sqlite.Path, "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--verify");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        var constraints = await db.RowsAsync("SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid IN ('t'::regclass, 'u'::regclass) ORDER BY conname");
        Assert.Contains(["t_pkey", "PRIMARY KEY (column_1)"], constraints);
        Assert.Contains(constraints, c => ((string)c[1]!).StartsWith("CHECK ((column_1 > 0))", StringComparison.Ordinal));
        Assert.Contains(constraints, c => ((string)c[1]!).StartsWith("FOREIGN KEY (x) REFERENCES t(column_1)", StringComparison.Ordinal));
        Assert.Equal("CREATE INDEX t_pair ON public.t USING btree (column_1, b)", await db.ScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = 't_pair'"));
        // A view's "" could be any of its tables' unnamed columns: it is not guessed.
        Assert.Contains("view v is not created: it names a column without a name", copy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unnamed_column_and_a_real_column_n_collide_and_are_refused_before_anything_is_written()
    {
        using var sqlite = new SqliteTestFile("CREATE TABLE t (\"\" INTEGER, column_1 INTEGER)", "INSERT INTO t VALUES (1, 2)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(NoEnvironment, _files.Directory, "copy", "sqlite:" + sqlite.Path, "--to", db.Url, "--rejects", _files.PathOf("rejects"));

        Assert.True(copy.ExitCode == 2, copy.ToString());
        Assert.Contains("columns 't' column 1 (unnamed) and 't.column_1' both become t.column_1 (no --names rule separates them)", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
    }

    [Fact]
    public async Task Csv_columns_without_a_name_are_named_by_position_and_parquet_ones_take_duckdbs_names()
    {
        await File.WriteAllTextAsync(_files.PathOf("t.csv"), "id,\"\",c\n1,2,x\n3,,y\n");
        WriteParquetWithAnEmptyName(_files.PathOf("t.parquet"));
        await using var db = await TestCluster.CreateDatabaseAsync();

        foreach (var (source, table, names) in new[] { ("csv:t.csv", "from_csv", "id,column_2,c"), ("parquet:t.parquet", "from_parquet", "c0,b") })
        {
            var copy = await CliRunner.RunAsync(NoEnvironment, _files.Directory, "copy", source, "--table", table, "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--verify");
            Assert.True(copy.ExitCode == 0, copy.ToString());
            if (source.StartsWith("csv:", StringComparison.Ordinal)) // DuckDB would call it column1, and say nothing
                Assert.Contains("column 2 has no name in the header; it is named column_2", copy.Stderr, StringComparison.Ordinal);
            var columns = await db.RowsAsync($"SELECT string_agg(attname::text, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attnum > 0");
            Assert.Equal(names, columns[0][0]);
            var verify = await CliRunner.RunAsync(NoEnvironment, _files.Directory, "verify", source, "--table", table, "--to", db.Url);
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }
    }

    /// <summary>
    /// A Parquet file whose first field is named "" (as other writers make them; DuckDB's SQL cannot name a column so):
    /// written by DuckDB with a placeholder name, which is then cut out of the footer's schema and column paths.
    /// </summary>
    static void WriteParquetWithAnEmptyName(string path)
    {
        DuckDbTestFiles.Execute(null, $"COPY (SELECT * FROM (VALUES (1, 2), (3, NULL)) v(zqzqzq, b)) TO '{path}' (FORMAT parquet)");
        var file = File.ReadAllBytes(path);
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        var footerStart = file.Length - 8 - footerLength;
        // Thrift compact strings: a varint length (6), then the bytes; an empty one is the length 0 alone.
        var footer = Encoding.Latin1.GetString(file, footerStart, footerLength).Replace("\u0006zqzqzq", "\0", StringComparison.Ordinal);
        var patched = Encoding.Latin1.GetBytes(footer);
        using var output = File.Create(path);
        output.Write(file, 0, footerStart);
        output.Write(patched);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, patched.Length);
        output.Write(length);
        output.Write("PAR1"u8);
    }
}
