using Ferry.Check.Internal;
using Ferry.Check.Spec;
using Ferry.Connections;
using Ferry.Schema;
using Ferry.Sources;

namespace Ferry.Check;

/// <summary>
/// Runs expectations (<c>ferry check</c>) on the PostgreSQL target, or on a source (<see cref="OnSource"/>): each table's
/// row checks in one scan of it, the first failing rows by key read only for what failed, <c>references</c> and
/// <c>sql</c> as queries of their own. An expectation that cannot run is in error; the others still run. See docs/check.md.
/// </summary>
public sealed class CheckRunner
{
    readonly Func<CancellationToken, Task<ICheckDatabase>> _open;
    readonly CheckOptions _options;
    readonly List<CheckQuery> _queries = [];

    public CheckRunner(PostgresTarget target, CheckOptions? options = null)
        : this(OpenTarget(target), options)
    {
    }

    internal CheckRunner(Func<CancellationToken, Task<ICheckDatabase>> open, CheckOptions? options)
    {
        _open = open;
        _options = options ?? new CheckOptions();
        if (_options.MaxSamples < 1)
            throw new FerryException($"--max-samples must be at least 1, not {_options.MaxSamples}.", FailureKind.Configuration);
    }

    /// <summary>
    /// A runner on a source (<c>ferry check --on SOURCE</c>, <c>--compare</c>, a copy's <c>before:</c> gate), written as
    /// <c>ferry copy</c> takes it (<c>sqlite:PATH</c>, <c>duckdb:PATH</c>, <c>parquet:GLOB</c> or <c>csv:GLOB</c> as the table
    /// <paramref name="tableName"/>, <c>postgres://…</c>), its paths relative to <paramref name="workingDirectory"/>, its
    /// tables named as the source names them. Nothing is opened until it runs.
    /// </summary>
    public static CheckRunner OnSource(string source, CheckOptions? options = null, string? workingDirectory = null, string? tableName = null)
    {
        var checkedSource = CheckSources.Of(source, workingDirectory, tableName);
        return new CheckRunner(checkedSource.OpenAsync, options) { Source = checkedSource.Description };
    }

    /// <summary>The source it checks, as shown (no password); null when it checks the target.</summary>
    public string? Source { get; private init; }

    /// <summary>A runner for <see cref="RunOnAsync"/> only: it checks the database it is given.</summary>
    internal static CheckRunner Given(CheckOptions options) =>
        new(_ => throw new InvalidOperationException("This runner checks the database it is given (RunOnAsync)."), options);

    static Func<CancellationToken, Task<ICheckDatabase>> OpenTarget(PostgresTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return async cancellationToken => await PostgresCheckDatabase.OpenAsync(target, cancellationToken);
    }

    /// <summary>The queries the last run ran, in order, per table and purpose.</summary>
    public IReadOnlyList<CheckQuery> Queries => _queries;

    public async Task<CheckResult> RunAsync(ExpectationSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Selected(spec);
        await using var database = await _open(cancellationToken);
        return await RunOnAsync(database, spec, cancellationToken);
    }

    /// <summary>The expectations on <paramref name="database"/>, which the caller opened and disposes.</summary>
    internal async Task<CheckResult> RunOnAsync(ICheckDatabase database, ExpectationSpec spec, CancellationToken cancellationToken)
    {
        var tables = Selected(spec);
        _queries.Clear();
        var results = new List<ExpectationResult>();
        var session = new CheckSession(database, _queries, _options.Logger);
        foreach (var table in tables)
            results.AddRange(await TableCheck.RunAsync(session, table, _options, cancellationToken));
        return new CheckResult(results);
    }

    /// <summary>The tables of the stages asked for (before first), narrowed by <c>--tables</c> as copy and verify narrow theirs.</summary>
    internal List<TableExpectations> Selected(ExpectationSpec spec)
    {
        var staged = spec.Tables.Where(t => _options.Stage is null || t.Stage == _options.Stage).OrderBy(t => t.Stage).ToList();
        if (spec.IsEmpty)
            throw new FerryException("There are no expectations to check: write an expect: section in ferry.yml, or give --expect FILE (docs/check.md).", FailureKind.Configuration);
        if (staged.Count == 0)
            throw new FerryException($"No expectations are written for {(_options.Stage == CheckStage.Before ? "before" : "after")}.", FailureKind.Configuration);
        return TableSelection.Of(_options.Tables, NamingRule.Preserve).Select(staged, t => (t.Table.Schema, t.Table.Name),
            missing => $"--tables names {string.Join(", ", missing)}, which the expectations do not name. They name: {string.Join(", ", staged.Select(t => t.Table.Qualified).Distinct())}.");
    }
}
