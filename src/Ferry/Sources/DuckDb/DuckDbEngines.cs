namespace Ferry.Sources.DuckDb;

/// <summary>The engines read through DuckDB: <c>duckdb:PATH</c>, <c>parquet:GLOB</c> and <c>csv:GLOB</c> (with its <see cref="CsvOptions"/>).</summary>
internal static class DuckDbEngines
{
    public static readonly SourceEngine DuckDb = new("duckdb:PATH", ["duckdb"], SourceLocation.File, r => DuckDbSource.Database(r.Location, r.Options));

    public static readonly SourceEngine Parquet = new("parquet:GLOB", ["parquet"], SourceLocation.Glob, r => DuckDbSource.Parquet(r.Location, r.TableName!, r.Options));

    public static readonly SourceEngine Csv = new("csv:GLOB", ["csv"], SourceLocation.Glob,
        r => DuckDbSource.Csv(r.Location, r.TableName!, r.Options.Engine<CsvOptions>(), r.Options));
}
