using Ferry.Copy;
using Ferry.Schema;
using SQLitePCL;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Streams one rowid range of a table on its own read-only connection, converting each value with the
/// column's reader: <c>SELECT cols FROM t WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid</c>.
/// </summary>
internal sealed class SqliteTableReader : ITableReader
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _stmt;
    readonly nint _statement;
    readonly SqliteValueReader[] _readers;
    readonly string _path;
    readonly string _table;
    bool _done;

    public SqliteTableReader(string path, TableModel table, ReadRange range, SourceOptions options)
    {
        _path = path;
        _table = table.SourceName;
        var decoder = new SqliteTextDecoder(options.InvalidUtf8);
        var copied = table.Columns.Where(c => c.GeneratedSql is null).ToList();
        _readers = copied.Select(c => SqliteValueReader.For(c, decoder, table.SourceName)).ToArray();
        var state = table.SourceState as SqliteTableState;
        var rowid = state?.RowidName;
        var columns = copied.Count == 0 ? "1" : string.Join(", ", copied.Select(c => SqliteNative.Quote(c.SourceName)));
        var sql = $"SELECT {columns} FROM {SqliteNative.Quote(table.SourceName)}";
        if (!range.IsAll)
        {
            if (rowid is null)
                throw new InvalidOperationException($"Table {table.SourceName} has no rowid; it can only be read whole.");
            sql += $" WHERE {rowid} BETWEEN ?1 AND ?2 ORDER BY {rowid}";
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
            throw new FerryException($"Reading table {_table} from SQLite file '{_path}' failed: {raw.sqlite3_errmsg(_db).utf8_to_string()} (after {RowsRead} rows).", FailureKind.Failed);
        var readers = _readers;
        var statement = _statement;
        for (var i = 0; i < readers.Length; i++)
            readers[i].Read(statement, i, i, sink);
        RowsRead++;
        return true;
    }

    public void Dispose()
    {
        _stmt.Dispose();
        _db.Dispose();
    }
}
