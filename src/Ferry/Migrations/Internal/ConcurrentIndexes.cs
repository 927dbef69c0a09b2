using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>
/// <c>CREATE INDEX CONCURRENTLY</c> (and <c>REINDEX … CONCURRENTLY</c>) commit an invalid index before they build it;
/// stopped part-way (cancelled, failed, its runner killed) they leave it behind, and the next attempt fails on
/// "already exists". These find such an index and drop it, or say how to.
/// </summary>
internal static class ConcurrentIndexes
{
    /// <summary>Long enough for the drop of an index nobody uses, short of the grace a cancelled run has to stop.</summary>
    static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(10);

    /// <summary>An index (<c>c</c>, its pg_class row) as <c>schema.name</c>, quoted where needed: what a DROP INDEX the user copies needs.</summary>
    const string QualifiedIndex = "quote_ident((SELECT nspname FROM pg_namespace WHERE oid = c.relnamespace)) || '.' || quote_ident(c.relname)";

    /// <summary>The statements that can leave an invalid index behind.</summary>
    public static bool CanLeaveInvalidIndex(SqlStatement statement) =>
        NonTransactionalStatements.Reason(statement) is { } reason &&
        reason is "CREATE INDEX CONCURRENTLY" or "CREATE UNIQUE INDEX CONCURRENTLY" or "REINDEX CONCURRENTLY";

    /// <summary>
    /// The index a <c>CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table</c> makes, as the index
    /// name (folded as PostgreSQL folds it) and the table as written; null for another statement or an unnamed index.
    /// </summary>
    public static (string Name, string Table)? Named(SqlStatement statement)
    {
        var tokens = new List<(SqlStatementSplitter.TokenKind Kind, string Text)>();
        var scanner = new SqlStatementSplitter.Scanner(statement.Text);
        while (scanner.Next() is { } token && tokens.Count < 16)
        {
            if (token.Kind != SqlStatementSplitter.TokenKind.Comment)
                tokens.Add((token.Kind, statement.Text[token.Start..token.End]));
        }

        var i = 0;
        bool Take(string word)
        {
            if (i >= tokens.Count || tokens[i].Kind != SqlStatementSplitter.TokenKind.Word || !tokens[i].Text.Equals(word, StringComparison.OrdinalIgnoreCase))
                return false;
            i++;
            return true;
        }

        if (!Take("CREATE"))
            return null;
        Take("UNIQUE");
        if (!Take("INDEX") || !Take("CONCURRENTLY") || (Take("IF") && !(Take("NOT") && Take("EXISTS"))))
            return null;
        if (i >= tokens.Count || Identifier(tokens[i]) is not { } name || tokens[i].Text.Equals("ON", StringComparison.OrdinalIgnoreCase))
            return null;
        i++;
        if (!Take("ON"))
            return null;
        Take("ONLY");
        var start = i;
        while (i < tokens.Count && (Identifier(tokens[i]) is not null || tokens[i].Text == "."))
            i++;
        return i == start ? null : (name, string.Concat(tokens[start..i].Select(t => t.Text)));
    }

    /// <summary>A bare word folded to lower case (ASCII only, as PostgreSQL does), or a quoted name unquoted.</summary>
    static string? Identifier((SqlStatementSplitter.TokenKind Kind, string Text) token) => token.Kind switch
    {
        SqlStatementSplitter.TokenKind.Word => string.Concat(token.Text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c)),
        SqlStatementSplitter.TokenKind.Literal when token.Text.Length >= 2 && token.Text[0] == '"' => token.Text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal),
        _ => null,
    };

    /// <summary>The index on its table, by its qualified name, and whether it is valid; null when there is none (or the table's name does not parse).</summary>
    public static async Task<(string Index, bool Valid)?> FindAsync(NpgsqlConnection connection, (string Name, string Table) index, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {QualifiedIndex}, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass($1) AND c.relname = $2",
            connection);
        command.Parameters.AddWithValue(index.Table);
        command.Parameters.AddWithValue(index.Name);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetBoolean(1)) : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidName or PostgresErrorCodes.SyntaxError)
        {
            return null;
        }
    }

    /// <summary>The invalid indexes of the database now (their oids), to tell afterwards which ones a statement left.</summary>
    public static async Task<long[]> InvalidAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(array_agg(indexrelid::bigint), '{}') FROM pg_index WHERE NOT indisvalid", connection);
        return (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// After a cancelled statement: drops the invalid indexes that appeared since <paramref name="before"/> and that no
    /// session is still building, each within <see cref="CleanupTimeout"/>; one that cannot be dropped now is reported
    /// with the command that drops it.
    /// </summary>
    public static async Task DropLeftAfterCancelAsync(NpgsqlConnection connection, long[] before, string what, ILogger logger)
    {
        if (connection.State != System.Data.ConnectionState.Open)
            return;
        List<string> left;
        try
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT {QualifiedIndex} FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE NOT i.indisvalid AND NOT (i.indexrelid::bigint = ANY($1))
                  AND NOT EXISTS (SELECT FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
                """,
                connection) { CommandTimeout = (int)CleanupTimeout.TotalSeconds };
            command.Parameters.AddWithValue(before);
            left = [];
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
                left.Add(reader.GetString(0));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("The cancelled {What} may have left an invalid index behind (it could not be looked for: {Reason}); find it with: SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid", what, e.Message);
            return;
        }

        foreach (var index in left)
            await DropAsync(connection, index, $"the cancelled {what}", logger, CancellationToken.None);
    }

    /// <summary>Drops an invalid index (by its qualified, quoted name) without blocking writers of its table; false, saying how to drop it, when that fails.</summary>
    public static async Task<bool> DropAsync(NpgsqlConnection connection, string index, string leftBy, ILogger logger, CancellationToken cancellationToken)
    {
        var drop = $"DROP INDEX CONCURRENTLY IF EXISTS {index}";
        logger.LogInformation("Dropping the invalid index {Index} that {LeftBy} left ({Drop})", index, leftBy, drop);
        try
        {
            await using var command = new NpgsqlCommand(drop, connection) { CommandTimeout = (int)CleanupTimeout.TotalSeconds };
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(
                "The invalid index {Index} that {LeftBy} left could not be dropped now ({Reason}): 'ferry migrate up' drops it before it runs the statement again, or drop it yourself: {Drop};",
                index, leftBy, e is NpgsqlException { InnerException: TimeoutException } ? "the table is in use by another transaction" : e.Message, drop);
            return false;
        }
    }
}
