using Ferry.Copy;
using Ferry.Schema;
using SQLitePCL;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Streams one rowid range of a table on its own read-only connection, converting each value with the
/// column's reader: <c>SELECT cols FROM t WHERE rowid BETWEEN ?1 AND ?2 [AND (filter)] ORDER BY rowid</c>.
/// </summary>
internal sealed class SqliteTableReader : ITableReader
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _stmt;
    readonly nint _statement;
    readonly SqliteValueReader[] _readers;
    readonly string _path;
    readonly string _table;
    /// <summary>Per copied column, the quick pass's test to apply (a table whose profile was deferred); null: none.</summary>
    readonly SqliteDataProfile.Column?[]? _checks;
    readonly (int Ordinal, string Name)[] _zoneChecks = [];
    readonly ReadRange _range;
    int _zoneRowsLeft;
    bool _done;

    public SqliteTableReader(string path, PlannedTable planned, ReadRange range, SourceOptions options, SqliteProfileDeferral? deferral)
    {
        var table = planned.Source;
        _path = path;
        _table = table.SourceName;
        _range = range;
        var decoder = new SqliteTextDecoder(options.InvalidUtf8, options.Limits);
        var copied = planned.Copied.ToList();
        _readers = copied.Select(c => SqliteValueReader.For(c, decoder, table.SourceName)).ToArray();
        var state = table.SourceState as SqliteTableState;
        // Only for the copy that deferred the profile: a verify after it reads the same models without checking.
        var unprofiled = deferral is not null ? state?.Unprofiled : null;
        var watched = unprofiled is null ? [] : SqliteValueChecks.Watched(unprofiled);
        if (unprofiled is not null && watched.Length > 0)
        {
            // The quick pass's tests, value by value (SqliteDataProfile.AnyUnexpected); its zone count reads the
            // table's first rows, which the range that starts the table reads too.
            int Ordinal(string name) => copied.FindIndex(c => c.SourceName == name);
            _checks = new SqliteDataProfile.Column?[copied.Count];
            watched = [.. watched.Where(i => Ordinal(unprofiled[i].Name) >= 0)]; // a dropped column is not read
            foreach (var i in watched)
                _checks[Ordinal(unprofiled[i].Name)] = unprofiled[i];
            if (range.From is null or long.MinValue)
            {
                _zoneChecks = SqliteValueChecks.ZoneSampled(unprofiled).Intersect(watched).Select(i => (Ordinal(unprofiled[i].Name), unprofiled[i].Name)).ToArray();
                _zoneRowsLeft = SqliteValueChecks.ZoneSampleRows;
            }
        }

        var rowid = state?.RowidName;
        var columns = copied.Count == 0 ? "1" : string.Join(", ", copied.Select(c => SqliteNative.Quote(c.SourceName)));
        var sql = $"SELECT {columns} FROM {SqliteDerivedTables.From(table)}";
        var filter = table.SourceFilter is { } condition ? $"({condition})" : null;
        if (!range.IsAll)
        {
            if (rowid is null)
                throw new InvalidOperationException($"Table {table.SourceName} has no rowid; it can only be read whole.");
            sql += $" WHERE {rowid} BETWEEN ?1 AND ?2{(filter is null ? "" : " AND " + filter)} ORDER BY {rowid}";
        }
        else if (filter is not null)
        {
            sql += " WHERE " + filter;
        }

        _db = SqliteNative.OpenReadOnly(path);
        try
        {
            _stmt = SqliteNative.Prepare(_db, sql, path);
            _statement = _stmt.DangerousGetHandle();
            if (!range.IsAll)
            {
                raw.sqlite3_bind_int64(_stmt, 1, range.From ?? long.MinValue);
                raw.sqlite3_bind_int64(_stmt, 2, range.To ?? long.MaxValue);
            }
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    public long RowsRead { get; private set; }

    public bool ReadRow(IRowSink sink)
    {
        if (_done)
            return false;
        var rc = SqliteColumnAccess.Step(_statement);
        if (rc == SqliteColumnAccess.Done)
        {
            _done = true;
            return false;
        }

        if (rc != SqliteColumnAccess.Row)
            throw SqliteLockWait.IsBusy(rc) ? SqliteLockWait.GaveUp(_path) : new FerryException($"Reading table {_table} from SQLite file '{_path}' failed: {raw.sqlite3_errmsg(_db).utf8_to_string()} (after {RowsRead} rows).", FailureKind.Failed);
        var readers = _readers;
        var statement = _statement;
        if (_checks is { } checks)
        {
            CheckZones(statement);
            for (var i = 0; i < readers.Length; i++)
            {
                var value = SqliteColumnAccess.Value(statement, i);
                var storage = SqliteColumnAccess.Type(value);
                if (checks[i] is { } column && SqliteValueChecks.MaybeUnexpectedValue(column, value, storage))
                    throw new ProfileNeededException(_table, $"row {RowsRead + 1} of {_range}: column {column.Name} holds a value that {column.Type.ToSql()} may not take");
                readers[i].Read(value, storage, i, sink);
            }
        }
        else
        {
            for (var i = 0; i < readers.Length; i++)
            {
                var value = SqliteColumnAccess.Value(statement, i);
                readers[i].Read(value, SqliteColumnAccess.Type(value), i, sink);
            }
        }

        RowsRead++;
        return true;
    }

    /// <summary>
    /// In the table's first rows, throws <see cref="ProfileNeededException"/> at a timestamp text with a zone: the
    /// profile this table skipped counts those for its note.
    /// </summary>
    void CheckZones(nint statement)
    {
        if (_zoneRowsLeft == 0)
            return;
        _zoneRowsLeft--;
        foreach (var (ordinal, name) in _zoneChecks)
        {
            if (SqliteValueChecks.ZonedText(statement, ordinal))
                throw new ProfileNeededException(_table, $"row {RowsRead + 1}: column {name} holds a timestamp with a UTC offset");
        }
    }

    public void Dispose()
    {
        _stmt.Dispose();
        _db.Dispose();
    }
}
