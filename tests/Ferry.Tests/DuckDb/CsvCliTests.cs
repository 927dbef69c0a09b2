using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary><c>ferry copy</c> and <c>ferry verify</c> of CSV (and Parquet) files DuckDB's sniffer or reader finds hard, as a user types them.</summary>
public sealed class CsvCliTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, args);

    [Fact]
    public async Task A_bank_export_with_a_preamble_loads_with_the_columns_the_plan_found_and_verifies()
    {
        // Sniffed again with store_rejects, DuckDB took this file for one column ("Bank export"): the load read another layout than the plan.
        await File.WriteAllTextAsync(_files.PathOf("bank.csv"), "Bank export\nAccount;DE12 3456\n\nDate;Text;Amount;Balance\n" +
            "2024-01-01;Coffee, large;-3,50;100,00\n2024-01-02;Rent;-500,00;-400,00\n2024-01-03;Salary;2500,00;2100,00\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await RunAsync("copy", "csv:bank.csv", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var table = copy.Json().GetProperty("tables")[0];
        Assert.Equal((3, 3), (table.GetProperty("rows_read").GetInt64(), table.GetProperty("rows_written").GetInt64()));
        Assert.Equal([new DateOnly(2024, 1, 2), "Rent", "-500,00", "-400,00"], (await db.RowsAsync("SELECT * FROM t WHERE text = 'Rent'")).Single());
        var verify = await RunAsync("verify", "csv:bank.csv", "--table", "t", "--to", db.Url);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
