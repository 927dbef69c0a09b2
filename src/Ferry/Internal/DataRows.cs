using System.Data.Common;

namespace Ferry.Internal;

/// <summary>A catalog query's rows, each as its column values (DBNull as null): catalogs are small, read whole.</summary>
internal static class DataRows
{
    public static async Task<List<object?[]>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }
}
