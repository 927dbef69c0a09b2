namespace Ferry.Sources.Sqlite;

/// <summary>The SQLite engine's registration: <c>sqlite:PATH</c> (or <c>sqlite3:PATH</c>).</summary>
internal static class SqliteEngine
{
    public static readonly SourceEngine Sqlite = new("sqlite:PATH", ["sqlite", "sqlite3"], SourceLocation.File, r => new SqliteSource(r.Location, r.Options));
}
