using Ferry.Connections;
using Ferry.Sources;
using Ferry.Sources.Postgres;

namespace Ferry.Check.Internal;

/// <summary>
/// The sources expectations run on (<c>--on</c>, <c>--compare</c>), by source engine: a kind is checked when its engine
/// has a check database here, opened from the source text as <c>ferry copy</c> parses it.
/// </summary>
internal static class CheckSources
{
    static readonly Dictionary<SourceEngine, Func<SourceRequest, CancellationToken, Task<ICheckDatabase>>> Databases = new()
    {
        [PostgresEngine.Postgres] = async (request, cancellationToken) =>
            await PostgresCheckDatabase.OpenAsync(TargetResolver.FromSourceText(request.Location, ProcessEnvironment.Reader), cancellationToken),
    };

    /// <summary>How to open <paramref name="source"/> for a check; refused (before anything connects) when its kind has no check database.</summary>
    public static CheckSource Of(string source, string? workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(source);
        var spec = SourceFactory.Parse(source);
        if (!Databases.TryGetValue(spec.Engine, out var open))
        {
            throw new FerryException(
                $"Expectations cannot run on {spec.Description} yet: ferry check --on and --compare take {string.Join(" or ", Supported)}. Nothing was checked.",
                FailureKind.Configuration);
        }

        // Files are relative to the working directory, as ferry copy reads them.
        var location = spec.Engine.Location == SourceLocation.Connection ? spec.Location : Path.GetFullPath(spec.Location, workingDirectory ?? Directory.GetCurrentDirectory());
        var request = new SourceRequest(location, spec.Description, new SourceOptions(), null);
        return new CheckSource(spec.Description, cancellationToken => open(request, cancellationToken));
    }

    /// <summary>The forms of the sources checked, in the registry's order: <c>postgres://USER@HOST/DB</c>.</summary>
    static IEnumerable<string> Supported => SourceRegistry.Engines.Where(Databases.ContainsKey).Select(e => e.Form);
}

/// <summary>A source a check runs on: as it is shown (no password), and how to open it.</summary>
internal sealed record CheckSource(string Description, Func<CancellationToken, Task<ICheckDatabase>> OpenAsync);
