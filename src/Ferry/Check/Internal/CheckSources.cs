using Ferry.Connections;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Sources.Postgres;
using Ferry.Sources.Sqlite;

namespace Ferry.Check.Internal;

/// <summary>
/// The sources expectations run on (<c>--on</c>, <c>--compare</c>, a copy's <c>before:</c> gate), by source engine,
/// opened from the source text as <c>ferry copy</c> parses it: SQLite, DuckDB (Parquet and CSV files through it, as the
/// one table <c>--table</c> names) and a PostgreSQL server. A kind is checked when its engine has a check database here.
/// </summary>
internal static class CheckSources
{
    sealed record Request(string Location, string Description, string? TableName);

    static readonly Dictionary<SourceEngine, Func<Request, CancellationToken, Task<ICheckDatabase>>> Databases = new()
    {
        [PostgresEngine.Postgres] = async (request, cancellationToken) =>
            await PostgresCheckDatabase.OpenAsync(TargetResolver.FromSourceText(request.Location, ProcessEnvironment.Reader), cancellationToken),
        [SqliteEngine.Sqlite] = async (request, cancellationToken) => await SqliteCheckDatabase.OpenAsync(Existing(request), cancellationToken),
        [DuckDbEngines.DuckDb] = (request, _) => Task.FromResult<ICheckDatabase>(DuckDbCheckDatabase.OpenFile(Existing(request))),
        [DuckDbEngines.Parquet] = (request, _) => Task.FromResult(Files(request, "read_parquet")),
        [DuckDbEngines.Csv] = (request, _) => Task.FromResult(Files(request, "read_csv")),
    };

    /// <summary>How to open <paramref name="source"/> for a check; refused (before anything connects) when its kind has no check database.</summary>
    public static CheckSource Of(string source, string? workingDirectory, string? tableName = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var spec = SourceFactory.Parse(source);
        if (!Databases.TryGetValue(spec.Engine, out var open))
        {
            throw new FerryException(
                $"Expectations cannot run on {spec.Description}: they run on {string.Join(" or ", Supported)}. Nothing was checked.",
                FailureKind.Configuration);
        }

        // Files are relative to the working directory, as ferry copy reads them.
        var location = spec.Engine.Location == SourceLocation.Connection ? spec.Location : Path.GetFullPath(spec.Location, workingDirectory ?? Directory.GetCurrentDirectory());
        var request = new Request(location, spec.Description, tableName);
        return new CheckSource(spec.Description, cancellationToken => open(request, cancellationToken));
    }

    static string Existing(Request request) =>
        File.Exists(request.Location) ? request.Location
        : throw new FerryException($"Source {request.Description}: file {request.Location} does not exist.", FailureKind.Configuration);

    /// <summary>Parquet or CSV files (a glob) as the one table the copy names.</summary>
    static ICheckDatabase Files(Request request, string reader)
    {
        if (string.IsNullOrWhiteSpace(request.TableName))
            throw new FerryException($"Source {request.Description}: a glob is one table; name it with --table NAME.", FailureKind.Configuration);
        return DuckDbCheckDatabase.OpenFiles(request.TableName, $"{reader}({FileCheckDialect.Literal(request.Location)}, union_by_name = true)");
    }

    /// <summary>The forms of the sources checked, in the registry's order.</summary>
    static IEnumerable<string> Supported => SourceRegistry.Engines.Where(Databases.ContainsKey).Select(e => e.Form);
}

/// <summary>A source a check runs on: as it is shown (no password), and how to open it.</summary>
internal sealed record CheckSource(string Description, Func<CancellationToken, Task<ICheckDatabase>> OpenAsync);
