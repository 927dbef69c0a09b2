using System.Text.Json;
using Ferry.Check.Spec;

namespace Ferry.Check.Internal;

/// <summary>
/// The expectations that are queries of their own: <c>references</c> (an anti-join with the other table) and <c>sql</c>
/// (the user's query, read-only). Each query returns its first rows and, beside each, how many there are in all.
/// </summary>
internal static class SeparateQueries
{
    public static async Task RunAsync(TableRun run, IReadOnlyList<CheckItem> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            try
            {
                switch (item.Expectation)
                {
                    case ReferencesExpectation references:
                        await ReferencesAsync(run, item, references, cancellationToken);
                        break;
                    case SqlExpectation sql:
                        await SqlAsync(run, item, sql, cancellationToken);
                        break;
                }
            }
            catch (CheckQueryException e)
            {
                run.Error(item, e.Message);
            }
        }
    }

    static async Task ReferencesAsync(TableRun run, CheckItem item, ReferencesExpectation references, CancellationToken cancellationToken)
    {
        if (await run.Session.Database.FindTableAsync(references.Table, cancellationToken) is not { } referenced)
        {
            run.Error(item, $"the table {references.Table} it refers to does not exist");
            return;
        }

        if (referenced.Column(references.ReferencedColumn) is not { } column)
        {
            run.Error(item, referenced.Missing(references.ReferencedColumn));
            return;
        }

        var rows = await run.Session.RowsAsync(run.Name, CheckQueryPurpose.References, run.Dialect.Orphans(run.Table, item.Columns[0], referenced, column, run.MaxSamples), cancellationToken);
        var shown = run.Shown(item);
        run.Done(item, rows.Count == 0 ? 0 : (long)rows[0][^1]!, [.. rows.Select(r => run.Sample(r, shown))],
            rows.Count == 0 ? null : $"values of {item.Columns[0].Name} that {referenced.DisplayName}.{column.Name} does not have");
    }

    static async Task SqlAsync(TableRun run, CheckItem item, SqlExpectation sql, CancellationToken cancellationToken)
    {
        var rows = await run.Session.RowsAsync(run.Name, CheckQueryPurpose.Sql, run.Dialect.UserQuery(sql.Query, run.MaxSamples), cancellationToken);
        run.Done(item, rows.Count == 0 ? 0 : (long)rows[0][^1]!, [.. rows.Select(r => new CheckSample(Row((string)r[0]!)))],
            rows.Count == 0 ? null : "rows the query returned");
    }

    /// <summary>A row the query returned, its columns by name: numbers as numbers, anything else as the server wrote it.</summary>
    static Dictionary<string, object?> Row(string json)
    {
        using var document = JsonDocument.Parse(json);
        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            row[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number when property.Value.TryGetInt64(out var n) => n,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => property.Value.GetRawText(),
            };
        }

        return row;
    }
}
