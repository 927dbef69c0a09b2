namespace Ferry.Sources.Sqlite;

/// <summary>What the reader needs to know about a SQLite table beyond the neutral model (<c>TableModel.SourceState</c>).</summary>
/// <param name="RowidName">The name that reaches the rowid (rowid, _rowid_ or oid: whichever no column shadows); null for WITHOUT ROWID tables.</param>
/// <param name="MinRowid">Smallest rowid at discovery; null when the table is empty or has no rowid.</param>
/// <param name="MaxRowid">Largest rowid at discovery.</param>
/// <param name="Unprofiled">
/// For a table discovered without its data profile (<see cref="SqliteProfileDeferral"/>): the columns whose
/// values the reader checks as the profile's quick pass would; null when the table was profiled.
/// </param>
internal sealed record SqliteTableState(string? RowidName, long? MinRowid, long? MaxRowid, IReadOnlyList<SqliteDataProfile.Column>? Unprofiled = null) : ISourceTableState;
