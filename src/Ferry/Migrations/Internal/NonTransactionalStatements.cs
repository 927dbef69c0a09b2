namespace Ferry.Migrations.Internal;

/// <summary>
/// Statements PostgreSQL refuses inside a transaction block ("cannot run inside a transaction block"),
/// recognized from their leading words. A file holding one runs outside a transaction, statement by statement.
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
            "REINDEX" when Has("DATABASE") || Has("SYSTEM") => "REINDEX DATABASE/SYSTEM",
            "VACUUM" => "VACUUM",
            "CREATE" or "DROP" when At(1) is "DATABASE" or "TABLESPACE" => $"{At(0)} {At(1)}",
            "ALTER" when At(1) == "DATABASE" && Has("TABLESPACE") => "ALTER DATABASE … SET TABLESPACE",
            "ALTER" when At(1) == "SYSTEM" => "ALTER SYSTEM",
            "ALTER" when At(1) == "TABLE" && Has("DETACH") && Has("CONCURRENTLY") => "ALTER TABLE … DETACH PARTITION … CONCURRENTLY",
            "CREATE" when At(1) == "SUBSCRIPTION" => "CREATE SUBSCRIPTION",
            "DROP" when At(1) == "SUBSCRIPTION" => "DROP SUBSCRIPTION",
            _ => null,
        };
    }
}
