namespace Ferry.Check.Internal;

/// <summary>A check's database with every query it runs recorded (<see cref="CheckRunner.Queries"/>), in order.</summary>
internal sealed class CheckSession(ICheckDatabase database, List<CheckQuery> log, Microsoft.Extensions.Logging.ILogger? logger)
{
    public ICheckDatabase Database { get; } = database;

    public ICheckDialect Dialect => Database.Dialect;

    public Task<List<object?[]>> RowsAsync(string table, CheckQueryPurpose purpose, string sql, CancellationToken cancellationToken)
    {
        Record(table, purpose, sql);
        return purpose == CheckQueryPurpose.Sql ? Database.ReadOnlyRowsAsync(sql, cancellationToken) : Database.RowsAsync(sql, cancellationToken);
    }

    public Task StreamAsync(string table, string sql, Action<string?[]> row, CancellationToken cancellationToken)
    {
        Record(table, CheckQueryPurpose.Phone, sql);
        return Database.StreamAsync(sql, row, cancellationToken);
    }

    /// <summary>Something the check could not do that leaves its results standing (a sample query refused).</summary>
    public void Note(string table, string message)
    {
        if (logger is not null)
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, "{Table}: {Message}", table, message);
    }

    void Record(string table, CheckQueryPurpose purpose, string sql)
    {
        lock (log)
            log.Add(new CheckQuery(table, purpose, sql));
        if (logger is not null)
            Microsoft.Extensions.Logging.LoggerExtensions.LogDebug(logger, "check {Table} ({Purpose}): {Sql}", table, purpose, sql);
    }
}
