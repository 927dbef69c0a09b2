using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>One binary COPY of rows from a batch's slots; PostgreSQL's refusal surfaces from a write or from <see cref="Complete"/>.</summary>
internal interface ICopyBatch : IDisposable
{
    void WriteRow(int row);

    /// <summary>Commits the COPY; throws what PostgreSQL refused.</summary>
    void Complete();
}

/// <summary>Starts the COPY a table's columns allow: the direct encoder when every column has one, else Npgsql's importer.</summary>
internal static class CopyBatch
{
    public static ICopyBatch Begin(NpgsqlConnection connection, string copySql, ColumnSlots[] slots) =>
        Array.TrueForAll(slots, s => s.WritesRaw)
            ? new RawCopyBatch(BinaryCopyWriter.Begin(connection, copySql), slots)
            : new ImporterCopyBatch(connection.BeginBinaryImport(copySql), slots);
}

/// <summary>The direct binary COPY encoder.</summary>
internal sealed class RawCopyBatch(BinaryCopyWriter writer, ColumnSlots[] slots) : ICopyBatch
{
    public void WriteRow(int row)
    {
        writer.StartRow(slots.Length);
        foreach (var slot in slots)
            slot.Write(writer, row);
    }

    public void Complete() => writer.Complete();

    public void Dispose() => writer.Dispose();
}

/// <summary>Npgsql's importer, for tables with arrays or bit strings.</summary>
internal sealed class ImporterCopyBatch(NpgsqlBinaryImporter importer, ColumnSlots[] slots) : ICopyBatch
{
    public void WriteRow(int row)
    {
        importer.StartRow();
        foreach (var slot in slots)
            slot.Write(importer, row);
    }

    public void Complete() => importer.Complete();

    public void Dispose() => importer.Dispose();
}
