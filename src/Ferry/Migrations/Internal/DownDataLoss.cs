using System.Globalization;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>
/// The refusal of <c>migrate down</c> before it runs anything: its down files' <c>DROP TABLE t</c> and <c>ALTER TABLE t
/// DROP COLUMN c</c> of a table that holds rows (<c>count(*)</c>; for a column, its non-null values) lose data that only
/// a snapshot brings back, so they run only when a snapshot covers the table or with --force.
/// </summary>
internal static class DownDataLoss
{
    sealed record Loss(string File, int Line, ObjectName Table, string? Column, long Rows);

    public static async Task EnsureAsync(
        NpgsqlConnection connection,
        List<(MigrationFiles Files, HistoryRow Row, MigrationScript Down)> plan,
        Func<string, string, CancellationToken, Task<bool>>? snapshotCovers,
        string fallbackSchema,
        CancellationToken cancellationToken)
    {
        var catalog = await TouchCatalog.ReadAsync(connection, cancellationToken);
        var resolver = new TouchResolver(catalog, fallbackSchema);
        var losses = new List<Loss>();
        foreach (var (files, _, down) in plan)
        {
            foreach (var touch in resolver.Resolve(files, down).Touches.Where(t => t.Kind is TableTouchKind.Drop or TableTouchKind.DropColumn))
            {
                var table = resolver.BeforeRun(touch.Table);
                if (!catalog.IsTable(table) || await CountAsync(connection, table, touch.Column, cancellationToken) is not ({ } rows and > 0))
                    continue;
                if (snapshotCovers is not null && await snapshotCovers(table.Schema!, table.Name, cancellationToken))
                    continue;
                losses.Add(new Loss(down.FileName, touch.Line, table, touch.Column, rows));
            }
        }

        if (losses.Count == 0)
            return;
        var what = string.Join("; ", losses.Select(l => l.Column is null
            ? $"{l.File}:{l.Line} drops table {l.Table}, which holds {Count(l.Rows, "row")}"
            : $"{l.File}:{l.Line} drops column {l.Table}.{l.Column}, which holds {Count(l.Rows, "non-null value")}"));
        var tables = string.Join(",", losses.Select(l => l.Table.ToString()).Distinct());
        throw new FerryException(
            $"Refusing to revert: {what}, and no snapshot covers {(losses.Select(l => l.Table).Distinct().Count() == 1 ? "it" : "them")}. Nothing was reverted. " +
            $"Take one first with 'ferry backup --tables {tables}', or pass --force to drop the data.",
            FailureKind.Failed);
    }

    /// <summary>The table's rows, or the column's non-null values; null when the column is not there.</summary>
    static async Task<long?> CountAsync(NpgsqlConnection connection, ObjectName table, string? column, CancellationToken cancellationToken)
    {
        if (column is not null)
        {
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2 AND attnum > 0 AND NOT attisdropped)", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = table.Sql });
            exists.Parameters.Add(new NpgsqlParameter { Value = column });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                return null;
        }

        await using var count = new NpgsqlCommand($"SELECT count({(column is null ? "*" : Identifiers.Quote(column))}) FROM {table.Sql}", connection);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    static string Count(long n, string what) => n.ToString("N0", CultureInfo.InvariantCulture) + " " + what + (n == 1 ? "" : "s");
}
