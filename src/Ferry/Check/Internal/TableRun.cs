using Ferry.Check.Spec;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>One expectation of the table being checked, its columns found in the catalog; <see cref="Index"/> is its place in the file's order.</summary>
internal sealed record CheckItem(int Index, Expectation Expectation, IReadOnlyList<TargetColumn> Columns)
{
    /// <summary>The name of its unique window, when it is a unique expectation.</summary>
    public string Window => "ferry_unique_" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One table's check under way: its session, its catalog entry, and each expectation's result as it is known.</summary>
internal sealed class TableRun(CheckSession session, TableExpectations spec, CheckedTable table, int maxSamples)
{
    readonly ExpectationResult?[] _results = new ExpectationResult?[spec.Expectations.Count];

    public CheckSession Session { get; } = session;

    public ICheckDialect Dialect => Session.Dialect;

    public TableExpectations Spec { get; } = spec;

    public CheckedTable Table { get; } = table;

    public int MaxSamples { get; } = maxSamples;

    public string Name => Table.DisplayName;

    public bool IsDone(CheckItem item) => _results[item.Index] is not null;

    public void Error(CheckItem item, string message) =>
        _results[item.Index] = ExpectationResult.Error(Name, Spec.Stage, item.Expectation, message);

    public void Done(CheckItem item, long failing, IReadOnlyList<CheckSample> samples, string? message = null) =>
        _results[item.Index] = ExpectationResult.Of(Name, Spec.Stage, item.Expectation, failing, samples, message);

    public IEnumerable<ExpectationResult> Results => _results.OfType<ExpectationResult>();

    /// <summary>A failing row from a row of key values (text) then <paramref name="shown"/>' values.</summary>
    public CheckSample Sample(object?[] row, IReadOnlyList<TargetColumn> shown)
    {
        var keyCount = Table.Key.Count;
        var key = KeyValues.ToDictionary(Table.Key, [.. row.Take(keyCount).Select(v => v as string ?? v?.ToString())]);
        if (shown.Count == 0)
            return new CheckSample(key);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < shown.Count; i++)
            values[shown[i].Name] = row[keyCount + i];
        return new CheckSample(key, values);
    }

    /// <summary>The checked columns a sample shows beside its key: those the key does not hold.</summary>
    public IReadOnlyList<TargetColumn> Shown(CheckItem item) => [.. item.Columns.Where(c => !Table.Key.Contains(c))];
}
