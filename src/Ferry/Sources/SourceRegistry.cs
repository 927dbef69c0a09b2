using Ferry.Sources.DuckDb;
using Ferry.Sources.Postgres;
using Ferry.Sources.Sqlite;

namespace Ferry.Sources;

/// <summary>The source engines Ferry reads, each registered by its own folder (<c>Sqlite/SqliteEngine.cs</c>, <c>DuckDb/DuckDbEngines.cs</c>, <c>Postgres/PostgresEngine.cs</c>).</summary>
internal static class SourceRegistry
{
    public static IReadOnlyList<SourceEngine> Engines { get; } = [SqliteEngine.Sqlite, DuckDbEngines.DuckDb, DuckDbEngines.Parquet, DuckDbEngines.Csv, PostgresEngine.Postgres];

    /// <summary>The engine a prefix (lower case) names; null when none does.</summary>
    public static SourceEngine? Find(string prefix) =>
        Engines.FirstOrDefault(e => e.Location != SourceLocation.Connection && e.Prefixes.Contains(prefix, StringComparer.Ordinal));

    /// <summary>The engine whose connection text this is (a <c>postgres://</c> URL, a libpq keyword string); null when none.</summary>
    public static SourceEngine? FindConnection(string text) =>
        Engines.FirstOrDefault(e => e.Location == SourceLocation.Connection && e.Recognizes!(text));

    /// <summary>Every engine's form, for messages: <c>sqlite:PATH, duckdb:PATH, parquet:GLOB or csv:GLOB</c>.</summary>
    public static string Forms => string.Join(", ", Engines.SkipLast(1).Select(e => e.Form)) + " or " + Engines[^1].Form;
}
