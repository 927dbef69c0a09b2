using Ferry.Types;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>One binary COPY of rows from a batch's slots; PostgreSQL's refusal surfaces from a write or from <see cref="Complete"/>.</summary>
internal sealed class CopyBatch(BinaryCopyWriter writer, ColumnSlots[] slots) : IDisposable
{
    public static CopyBatch Begin(NpgsqlConnection connection, string copySql, ColumnSlots[] slots) =>
        new(BinaryCopyWriter.Begin(connection, copySql), slots);

    public void WriteRow(int row)
    {
        writer.StartRow(slots.Length);
        foreach (var slot in slots)
            slot.Write(writer, row);
    }

    /// <summary>Commits the COPY; throws what PostgreSQL refused.</summary>
    public void Complete() => writer.Complete();

    public void Dispose() => writer.Dispose();
}
