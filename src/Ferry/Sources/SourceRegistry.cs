using Ferry.Sources.DuckDb;
using Ferry.Sources.Sqlite;

namespace Ferry.Sources;

/// <summary>The source engines Ferry reads, each registered by its own folder (<c>Sqlite/SqliteEngine.cs</c>, <c>DuckDb/DuckDbEngines.cs</c>).</summary>
internal static class SourceRegistry
{
    public static IReadOnlyList<SourceEngine> Engines { get; } = [SqliteEngine.Sqlite, DuckDbEngines.DuckDb, DuckDbEngines.Parquet, DuckDbEngines.Csv];

    /// <summary>The engine a prefix (lower case) names; null when none does.</summary>
    public static SourceEngine? Find(string prefix) => Engines.FirstOrDefault(e => e.Prefixes.Contains(prefix, StringComparer.Ordinal));

    /// <summary>Every engine's form, for messages: <c>sqlite:PATH, duckdb:PATH, parquet:GLOB or csv:GLOB</c>.</summary>
    public static string Forms => string.Join(", ", Engines.SkipLast(1).Select(e => e.Form)) + " or " + Engines[^1].Form;
}
