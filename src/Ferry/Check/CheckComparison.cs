using Ferry.Check.Internal;
using Ferry.Check.Spec;
using Ferry.Connections;
using Ferry.Transforms.Spec;

namespace Ferry.Check;

/// <summary>
/// <c>ferry check --compare SOURCE</c>: the same expectations on the source, then on the target, each target result
/// with the source's beside it and its failure marked <see cref="FailureOrigin.Introduced"/> when only the target has
/// it. Tables and columns are named as in the target; a transform's renames find them in the source. <c>rows: source</c>
/// counts the same table in the source. See docs/check.md.
/// </summary>
public sealed class CheckComparison
{
    readonly CheckSource _source;
    readonly CheckOptions _options;
    readonly TransformSpec _transform;

    /// <param name="source">The source, written as <c>ferry copy</c> takes it; a kind expectations do not run on yet is refused here.</param>
    /// <param name="options">As for <see cref="CheckRunner"/>; its <see cref="CheckOptions.SourceRows"/> is this source's.</param>
    /// <param name="transform">The copy's transform, whose renames say what the target's tables and columns are called in the source; null: the same names.</param>
    /// <param name="workingDirectory">What a source file's path is relative to; null: the process's.</param>
    /// <param name="tableName">The table a <c>parquet:</c> or <c>csv:</c> source's files are, as <c>ferry copy --table</c> names it.</param>
    public CheckComparison(string source, CheckOptions? options = null, TransformSpec? transform = null, string? workingDirectory = null, string? tableName = null)
    {
        _source = CheckSources.Of(source, workingDirectory, tableName);
        _options = options ?? new CheckOptions();
        _transform = transform ?? TransformSpec.Empty;
    }

    /// <summary>The source as shown (no password): <c>postgres://app@db1:5432/app</c>.</summary>
    public string Source => _source.Description;

    /// <summary>The expectations on the source, then on <paramref name="target"/> (where the copy or migration wrote).</summary>
    public async Task<CheckResult> RunAsync(PostgresTarget target, ExpectationSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(spec);
        // An empty spec or a --tables the spec does not hold is refused before either side connects.
        CheckRunner.Given(_options).Selected(spec);
        await using var source = new RenamedCheckDatabase(await _source.OpenAsync(cancellationToken), _transform);
        var onSource = await CheckRunner.Given(_options with { SourceRows = new DatabaseRowCounts(source, _source.Description, whole: true) }).RunOnAsync(source, spec, cancellationToken);
        await using var onTargetDatabase = await PostgresCheckDatabase.OpenAsync(target, cancellationToken);
        var onTarget = await CheckRunner.Given(_options with { SourceRows = new DatabaseRowCounts(source, _source.Description) }).RunOnAsync(onTargetDatabase, spec, cancellationToken);
        return new CheckResult([.. onTarget.Results.Select(r => Compared(r, onSource.Results.FirstOrDefault(s => ReferenceEquals(s.Expectation, r.Expectation))))]);
    }

    /// <summary>The target's result with the source's figures, and where its failure comes from.</summary>
    static ExpectationResult Compared(ExpectationResult target, ExpectationResult? source) => source is null ? target with { Comparison = FailureOrigin.Unknown } : target with
    {
        Source = new SourceFigures(source.Table, source.Status, source.Failing, source.Samples, source.Message),
        Comparison = target.Status == CheckStatus.Error || source.Status == CheckStatus.Error ? FailureOrigin.Unknown
            : (target.Fails, source.Fails) switch
            {
                (true, false) => FailureOrigin.Introduced,
                (true, true) => FailureOrigin.PreExisting,
                (false, true) => FailureOrigin.Resolved,
                _ => FailureOrigin.None,
            },
    };
}
