using System.Globalization;
using Ferry.Verify.Internal;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// A table's content in one figure: its row count and the sum of its rows' canonical hashes (verify's
/// <see cref="CanonicalSql"/>), one aggregate over the table. Columns enter by name, never the table's name or schema, so a
/// backup copy, a restored table and a table restored <c>--into</c> another schema compare with the manifest.
/// </summary>
internal static class TableFingerprint
{
    public static Task<(long Rows, string Fingerprint)> ComputeAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken) =>
        ComputeAsync(connection, null, schema, table, cancellationToken);

    /// <summary>
    /// As above; a big table is split by page ranges over connections <paramref name="openPart"/> opens, each seeing the
    /// same rows as <paramref name="connection"/> (the same exported snapshot, or committed data).
    /// </summary>
    public static async Task<(long Rows, string Fingerprint)> ComputeAsync(
        NpgsqlConnection connection, Func<CancellationToken, Task<NpgsqlConnection>>? openPart, string schema, string table, CancellationToken cancellationToken)
    {
        var target = await TargetTable.LoadAsync(connection, schema, table, cancellationToken)
            ?? throw new FerryException($"{schema}.{table} is not a table: it cannot be fingerprinted.");
        await HashingSession.PinAsync(connection, cancellationToken);
        var utf8 = await HashingSession.ServerSettingsAsync(connection, "target", cancellationToken);
        // Columns by name: a table recreated with its columns in another order holds the same content.
        var columns = target.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var hashing = new ServerHashing(HashedRelation.Of(target), connection, openPart is null ? null : Pinned(openPart), columns, [], integerKey: false, utf8);
        long rows = 0;
        ulong sum = 0;
        foreach (var (count, hash) in (await hashing.FingerprintAsync(0, cancellationToken)).Values)
        {
            rows += count;
            sum = unchecked(sum + hash);
        }

        return (rows, Format(rows, sum));
    }

    /// <summary>The fingerprint's text: the row count and the hash sum in hex.</summary>
    public static string Format(long rows, ulong sum) => rows.ToString(CultureInfo.InvariantCulture) + ":" + sum.ToString("x16", CultureInfo.InvariantCulture);

    static Func<CancellationToken, Task<NpgsqlConnection>> Pinned(Func<CancellationToken, Task<NpgsqlConnection>> open) => async cancellationToken =>
    {
        var connection = await open(cancellationToken);
        await HashingSession.PinAsync(connection, cancellationToken);
        return connection;
    };
}
