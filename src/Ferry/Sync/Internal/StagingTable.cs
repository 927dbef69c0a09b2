using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// A temporary table on a load session's connection that a planned table's rows are loaded into, through the copy's own
/// pipeline (the source's reader, the column steps, <see cref="RowBuffer"/> and its typed binary COPY), instead of into
/// the target: its columns are the written ones, with their planned types, so the rows arrive exactly as a copy writes them.
/// </summary>
internal static class StagingTable
{
    /// <summary>Creates <c>pg_temp.<paramref name="name"/></c> for <paramref name="table"/>'s written columns and points the table's COPY at it.</summary>
    public static void Create(LoadSession session, PlannedTable table, string name)
    {
        var columns = string.Join(", ", table.Written.Select(c => Identifiers.Quote(c.TargetName) + " " + c.Type.ToSql()));
        session.Run($"creating the staging table of {table.DisplayName}", c =>
        {
            using var command = new NpgsqlCommand($"DROP TABLE IF EXISTS pg_temp.{Identifiers.Quote(name)}; CREATE TEMPORARY TABLE {Identifiers.Quote(name)} ({columns})", c);
            command.ExecuteNonQuery();
        });
        table.TargetSchema = "pg_temp";
        table.TargetName = name;
    }

    /// <summary>Loads every row <paramref name="source"/>'s reader gives for <paramref name="table"/> (its filter applied): rows read, written and rejected.</summary>
    public static (long Read, long Written, long Rejected) Load(ISource source, PlannedTable table, LoadSession session, RejectLog log, int batchRows, CancellationToken cancellationToken)
    {
        using var reader = source.OpenReader(table, ReadRange.All);
        using var buffer = new RowBuffer(table, session, log, RowBuffer.Capacity(table, batchRows), $"staging {table.Source.QualifiedSourceName}");
        long read = 0;
        RowPump.Run(reader, table, buffer, ref read, null, cancellationToken);
        return (read, buffer.Written, buffer.Rejected);
    }
}
