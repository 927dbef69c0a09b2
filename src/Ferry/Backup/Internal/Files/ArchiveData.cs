using System.Text;
using Npgsql;

namespace Ferry.Backup.Internal.Files;

/// <summary>
/// One table's rows out of an archive into a table: <c>pg_restore --data-only -n S -t T -f -</c> writes a script holding
/// the table's <c>COPY … FROM stdin</c> block; its header is rewritten for the table given and the block fed to COPY through
/// Npgsql's text import, as it streams. The archive was written in UTF8 (<c>pg_dump --encoding=UTF8</c>).
/// </summary>
internal static class ArchiveData
{
    const string CopyPrefix = "COPY ";
    const string CopySuffix = " FROM stdin;";

    /// <summary>Loads <paramref name="schema"/>.<paramref name="table"/>'s rows from <paramref name="archive"/> into <paramref name="into"/> (qualified); the row count.</summary>
    public static async Task<long> LoadAsync(
        PgTools.PgClient client, string archive, string schema, string table, NpgsqlConnection connection, string into, CancellationToken cancellationToken)
    {
        long rows = -1;
        await client.RestoreAsync(["--data-only", "--schema=" + schema, "--table=" + table, "--file=-", archive], async (output, token) =>
        {
            using var reader = new StreamReader(output, new UTF8Encoding(false, throwOnInvalidBytes: true), false, 1 << 16, leaveOpen: true);
            while (await reader.ReadLineAsync(token) is { } line)
            {
                if (!line.StartsWith(CopyPrefix, StringComparison.Ordinal) || !line.EndsWith(CopySuffix, StringComparison.Ordinal))
                    continue;
                rows = await CopyAsync(reader, connection, $"COPY {into} {Columns(line)} FROM STDIN", token);
                return;
            }
        }, cancellationToken);
        if (rows < 0)
            throw new FerryException($"{archive} holds no data for {schema}.{table}: it is not the archive this backup wrote, or was written without the table's data.", FailureKind.Failed);
        return rows;
    }

    /// <summary>Feeds the block's lines, up to its <c>\.</c>, to COPY; the rows written.</summary>
    static async Task<long> CopyAsync(StreamReader reader, NpgsqlConnection connection, string copy, CancellationToken cancellationToken)
    {
        long rows = 0;
        await using var writer = await connection.BeginTextImportAsync(copy, cancellationToken);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == "\\.")
                return rows;
            await writer.WriteAsync(line);
            await writer.WriteAsync('\n');
            rows++;
        }

        throw new FerryException("the archive's data for a table ends before its end marker (\\.): the file is cut short.", FailureKind.Failed);
    }

    /// <summary>The column list of <c>COPY schema.table (a, b) FROM stdin;</c>: what follows the name (read past its quotes).</summary>
    internal static string Columns(string header)
    {
        var quoted = false;
        var at = CopyPrefix.Length;
        for (; at < header.Length - CopySuffix.Length; at++)
        {
            if (header[at] == '"')
                quoted = !quoted;
            else if (header[at] == ' ' && !quoted)
                break;
        }

        return header[at..^CopySuffix.Length].Trim();
    }
}
