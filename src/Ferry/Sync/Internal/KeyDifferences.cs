using System.Globalization;
using Ferry.Schema;
using Ferry.Verify;
using Ferry.Verify.Internal;

namespace Ferry.Sync.Internal;

/// <summary>
/// The keys a target table differs from its source by (<see cref="BucketDiff"/>): those whose source row is changed or
/// missing in the target (to read and upsert), and the target's extra ones (to delete or count). Keys are their canonical
/// texts, which PostgreSQL casts back to each key column's type and a source compares as the values it stores.
/// </summary>
internal sealed class KeyDifferences(IReadOnlyList<TargetColumn> key, IReadOnlyList<string> sourceNames, List<(string?[] Key, string Kind)> differences, long sourceRejected)
{
    /// <summary>Source rows its readers rejected: absent from the comparison, so their target rows look extra.</summary>
    public long SourceRejected { get; } = sourceRejected;

    /// <summary>Keys per statement: a source's SQL text stays well under SQLite's million bytes.</summary>
    public const int KeysPerRead = 5000;

    public IReadOnlyList<TargetColumn> Key { get; } = key;

    /// <summary>Keys whose source row is not in the target, or differs there.</summary>
    public List<string?[]> ToApply { get; } = [.. differences.Where(d => d.Kind != DifferenceKind.Extra).Select(d => d.Key)];

    /// <summary>Keys the target has and the source does not.</summary>
    public List<string?[]> Extra { get; } = [.. differences.Where(d => d.Kind == DifferenceKind.Extra).Select(d => d.Key)];

    /// <summary>The source condition that reads the rows of <paramref name="keys"/>, in the source's own SQL (an index on the key serves it).</summary>
    public string SourceCondition(IEnumerable<string?[]> keys)
    {
        var columns = sourceNames.Select(Identifiers.QuoteAlways).ToList();
        if (columns.Count == 1)
            return $"{columns[0]} IN ({string.Join(", ", keys.Select(k => Literal(0, k[0])))})";
        return $"({string.Join(", ", columns)}) IN (VALUES {string.Join(", ", keys.Select(k => "(" + string.Join(", ", k.Select((v, i) => Literal(i, v))) + ")"))})";
    }

    /// <summary>Whole numbers as numbers (a SQLite integer column does not equal a text literal), everything else as a standard SQL text literal (SQLite and DuckDB have no E'…').</summary>
    string Literal(int column, string? value) =>
        value is null ? "NULL"
        : Key[column].IsInteger && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture)
        : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
