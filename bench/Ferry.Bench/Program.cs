using System.Globalization;
using Ferry.Bench;

// Dataset generators and side-by-side benchmarks; see bench/README.md.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Ferry.Bench demo-db PATH | bench-sqlite PATH ROWS [contacts] | big-values PATH ROWS MB | parquet-copy ROWS [DATABASE_URL] | report TABLES PATH");
    return 2;
}

switch (args[0])
{
    case "demo-db" when args.Length == 2:
        var counts = DemoDatabase.Create(args[1]);
        Console.Error.WriteLine($"demo database {args[1]}: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}");
        return 0;
    case "bench-sqlite" when args.Length is 3 or 4 && (args.Length == 3 || args[3] == "contacts"):
        BenchSqlite.Create(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), contacts: args.Length == 4);
        Console.Error.WriteLine($"benchmark database {args[1]}: {BenchSqlite.Table} {args[2]} rows{(args.Length == 4 ? " with email and status" : "")}");
        return 0;
    case "big-values" when args.Length == 4:
        BigValues.Create(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        Console.Error.WriteLine($"large-value database {args[1]}: {BigValues.Table} {args[2]} rows of a {args[3]} MB blob and a {args[3]} MB text");
        return 0;
    case "parquet-copy" when args.Length >= 2:
        return await ParquetBench.RunAsync(long.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : null, Path.Combine(Path.GetTempPath(), "ferry-bench-parquet"));
    case "report" when args.Length == 3:
        return ReportBench.Run(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
    default:
        Console.Error.WriteLine($"unknown or incomplete command: {string.Join(' ', args)}");
        return 2;
}
