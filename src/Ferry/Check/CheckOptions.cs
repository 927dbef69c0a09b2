using Ferry.Check.Spec;
using Microsoft.Extensions.Logging;

namespace Ferry.Check;

/// <summary>What a check runs and how: see <see cref="CheckRunner"/>.</summary>
public sealed record CheckOptions
{
    /// <summary>Tables to check, named as <c>--tables</c> names them; null: every table the expectations name.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>The stages to run; null: both (<c>before:</c> first).</summary>
    public CheckStage? Stage { get; init; }

    /// <summary>Failing rows named per expectation (<c>--max-samples</c>).</summary>
    public int MaxSamples { get; init; } = 10;

    /// <summary>The source's row counts, for <c>rows: source</c>; null: there is no source, and such expectations are in error.</summary>
    public ISourceRowCounts? SourceRows { get; init; }

    public ILogger? Logger { get; init; }
}
