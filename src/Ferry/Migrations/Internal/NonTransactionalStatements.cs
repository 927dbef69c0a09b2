namespace Ferry.Migrations.Internal;

/// <summary>
/// Statements PostgreSQL refuses inside a transaction block ("cannot run inside a transaction block"),
/// recognized from their leading words: the callers of PreventInTransactionBlock in PostgreSQL 15 that a migration
/// file can reach. A file holding one runs outside a transaction, statement by statement.
/// </summary>
internal static class NonTransactionalStatements
{
    /// <summary>Why the statement cannot run in a transaction, or null when it can.</summary>
    public static string? Reason(SqlStatement statement)
    {
        var w = statement.Words;
        string At(int i) => i < w.Count ? w[i] : "";
        bool Has(string word) => w.Contains(word);

        return At(0) switch
        {
            "CREATE" when At(1) == "INDEX" && At(2) == "CONCURRENTLY" => "CREATE INDEX CONCURRENTLY",
            "CREATE" when At(1) == "UNIQUE" && At(2) == "INDEX" && At(3) == "CONCURRENTLY" => "CREATE UNIQUE INDEX CONCURRENTLY",
            "DROP" when At(1) == "INDEX" && At(2) == "CONCURRENTLY" => "DROP INDEX CONCURRENTLY",
            "REINDEX" when Has("CONCURRENTLY") => "REINDEX CONCURRENTLY",
            "REINDEX" when ReindexKind(statement) is var kind && kind is "SCHEMA" or "DATABASE" or "SYSTEM" => $"REINDEX {kind}",
            "VACUUM" => "VACUUM",
            "CLUSTER" when ClustersEveryTable(statement) => "CLUSTER",
            "DISCARD" when At(1) == "ALL" => "DISCARD ALL",
            "CREATE" or "DROP" when At(1) is "DATABASE" or "TABLESPACE" => $"{At(0)} {At(1)}",
            "ALTER" when At(1) == "DATABASE" && Has("TABLESPACE") => "ALTER DATABASE … SET TABLESPACE",
            "ALTER" when At(1) == "SYSTEM" => "ALTER SYSTEM",
            "ALTER" when At(1) == "TABLE" && Has("DETACH") && Has("CONCURRENTLY") => "ALTER TABLE … DETACH PARTITION … CONCURRENTLY",
            "CREATE" when At(1) == "SUBSCRIPTION" => "CREATE SUBSCRIPTION",
            "ALTER" when At(1) == "SUBSCRIPTION" && At(3) == "REFRESH" => "ALTER SUBSCRIPTION … REFRESH",
            // SET|ADD|DROP PUBLICATION refreshes the subscription unless told WITH (refresh = false).
            "ALTER" when At(1) == "SUBSCRIPTION" && At(3) is "SET" or "ADD" or "DROP" && At(4) == "PUBLICATION" && !RefreshOff(w) =>
                "ALTER SUBSCRIPTION … PUBLICATION (with refresh)",
            "DROP" when At(1) == "SUBSCRIPTION" => "DROP SUBSCRIPTION",
            "COMMIT" or "ROLLBACK" when At(1) == "PREPARED" => $"{At(0)} PREPARED",
            _ => null,
        };
    }

    /// <summary>What a REINDEX rebuilds (INDEX, TABLE, SCHEMA, DATABASE, SYSTEM): its first word after the options in parentheses.</summary>
    static string? ReindexKind(SqlStatement statement) =>
        SqlStatementSplitter.TopLevelWords(statement).Skip(1).FirstOrDefault();

    /// <summary>
    /// <c>CLUSTER [VERBOSE]</c> or <c>CLUSTER (options)</c> with no table: it reclusters every table clustered before,
    /// which PostgreSQL refuses in a transaction block. Anything else after the options (a name, quoted or not) is a table.
    /// </summary>
    static bool ClustersEveryTable(SqlStatement statement)
    {
        var scanner = SqlStatementSplitter.Scanner.For(statement);
        var (depth, first) = (0, true);
        while (scanner.Next() is { } token)
        {
            if (token.Kind == SqlStatementSplitter.TokenKind.Comment)
                continue;
            depth += token.Kind switch { SqlStatementSplitter.TokenKind.OpenParen => 1, SqlStatementSplitter.TokenKind.CloseParen => -1, _ => 0 };
            var options = first || depth > 0 || token.Kind == SqlStatementSplitter.TokenKind.CloseParen ||
                (token.Kind == SqlStatementSplitter.TokenKind.Word && statement.Text[token.Start..token.End].Equals("VERBOSE", StringComparison.OrdinalIgnoreCase));
            if (!options)
                return false;
            first = false;
        }

        return true;
    }

    /// <summary><c>refresh = false</c> (or <c>off</c>) among the words.</summary>
    static bool RefreshOff(IReadOnlyList<string> words)
    {
        var i = words.ToList().IndexOf("REFRESH");
        return i >= 0 && i + 1 < words.Count && words[i + 1] is "FALSE" or "OFF";
    }
}
