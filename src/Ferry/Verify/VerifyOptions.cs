using Ferry.Connections;
using Ferry.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Verify;

/// <summary>What <see cref="Verifier"/> compares, and how the copy named the tables (the same rules must be given).</summary>
public sealed record VerifyOptions
{
    /// <summary>Tables to verify, named as <c>--tables</c> names them (source or target names, docs/verify.md); null or empty means all.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>The naming rule the copy used (<c>--names</c>), for tables and columns without a target name yet.</summary>
    public NamingRule Names { get; init; } = NamingRule.Lower;

    /// <summary>The target schema the copy used (<c>--schema</c>); null keeps each table's own (default <c>public</c>).</summary>
    public string? Schema { get; init; }

    /// <summary>The tables the copy renamed or copied without some columns (<see cref="Copy.CopyOptions.TableRenames"/>): give the copy's.</summary>
    public IReadOnlyDictionary<string, TableRename> TableRenames { get; init; } = new Dictionary<string, TableRename>();

    /// <summary>The column steps the copy ran (<see cref="Copy.CopyOptions.ColumnSteps"/>): give the copy's, and the source side runs them too.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Transforms.ColumnStep>> ColumnSteps { get; init; } = new Dictionary<string, IReadOnlyList<Transforms.ColumnStep>>();

    /// <summary>Where a transform file names the renamed tables and the columns given steps: refusals name its lines.</summary>
    public Transforms.TransformOrigins Origins { get; init; } = Transforms.TransformOrigins.None;

    /// <summary>Compare row counts only, no content.</summary>
    public bool CountsOnly { get; init; }

    /// <summary>At most this many differing rows named per table (and integrity samples per check).</summary>
    public int MaxDifferences { get; init; } = 100;

    /// <summary>
    /// How many rows of a column made by a step that is not repeatable (bcrypt) are checked against their source values,
    /// the first ones read; null checks every row.
    /// </summary>
    public int? Sample { get; init; }

    /// <summary>One line per step (table started, differing buckets drilled), for a progress display.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>How a table whose comparison lost its connection to the target is compared again.</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Where each retry is logged (a warning).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
