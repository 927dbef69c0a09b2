using Ferry.Copy;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// What a DuckDB-backed table's reader needs: the FROM clause, each column's DuckDB type, and the column that
/// splits it into ranges DuckDB can skip to (<c>rowid</c> of a table, Parquet's <c>file_row_number</c>), if any.
/// </summary>
internal sealed record DuckDbTableState(string FromSql, IReadOnlyDictionary<string, DuckDbTypeInfo> Types) : ISourceTableState
{
    public string? RangeColumn { get; init; }

    /// <summary>Upper bound of <see cref="RangeColumn"/> (inclusive), or how to compute it.</summary>
    public string? MaxRangeSql { get; init; }

    /// <summary>The files of a Parquet or CSV table (null for a database's table).</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>How a CSV table's files are read, exactly as discovery found (null for other tables).</summary>
    public CsvLayout? Csv { get; init; }
}

/// <summary>A line DuckDB skipped: the column it names (-1 for none), the value, and why.</summary>
internal readonly record struct SkippedLine(int Column, string? Value, string Reason);

/// <summary>
/// Streams one query's rows chunk by chunk (2048 rows each, bounded memory) on its own connection; a row is
/// typed reads from the current chunk's vectors at the current index.
/// </summary>
internal sealed class DuckDbTableReader : ITableReader
{
    readonly DuckDbConnection _connection;
    readonly DuckDbResult _result;
    readonly DuckDbTypeInfo[] _types;
    readonly DuckDbColumnReader[] _readers;
    readonly VectorView[] _vectors;
    readonly string _description;
    readonly Func<string, string?>? _explain;
    readonly Func<DuckDbConnection, IReadOnlyList<SkippedLine>>? _skipped;
    Queue<SkippedLine>? _skippedLines;
    DuckDbChunk? _chunk;
    int _row;
    int _size;
    bool _done;

    /// <param name="database">The database the query runs in (on a connection of its own).</param>
    /// <param name="sql">The query.</param>
    /// <param name="types">Each column's DuckDB type.</param>
    /// <param name="readers">Each column's reader.</param>
    /// <param name="description">Names the table in errors.</param>
    /// <param name="explain">A short account of a DuckDB error while reading (null: DuckDB's message as it is).</param>
    /// <param name="skipped">After the last row, the lines DuckDB skipped (store_rejects), each then read as a rejected row.</param>
    public DuckDbTableReader(DuckDbDatabase database, string sql, DuckDbTypeInfo[] types, DuckDbColumnReader[] readers, string description,
        Func<string, string?>? explain = null, Func<DuckDbConnection, IReadOnlyList<SkippedLine>>? skipped = null)
    {
        _explain = explain;
        _skipped = skipped;
        _types = types;
        _readers = readers;
        _vectors = new VectorView[types.Length];
        _description = description;
        _connection = database.Connect();
        try
        {
            _result = _connection.Stream(sql);
        }
        catch (FerryException e)
        {
            _connection.Dispose();
            throw Explained(e) ?? new FerryException($"{description}: DuckDB cannot read it: {e.Message}", FailureKind.Failed, e);
        }
    }

    /// <summary>DuckDB's error in one line naming where the read stopped, when <c>explain</c> can give it; else null.</summary>
    FerryException? Explained(FerryException e) => _explain?.Invoke(e.Message) is { } explained
        ? new FerryException($"{_description} (stopped after {RowsRead} rows): DuckDB cannot read {explained}", FailureKind.Failed, e)
        : null;

    public long RowsRead { get; private set; }

    public bool ReadRow(IRowSink sink)
    {
        if (_row >= _size && !NextChunk())
            return ReadSkippedLine(sink);
        var readers = _readers;
        var vectors = _vectors;
        var row = _row;
        for (var i = 0; i < readers.Length; i++)
        {
            var vector = vectors[i];
            if (vector.IsValid(row))
                readers[i].Read(vector, row, i, sink);
            else
                sink.SetNull(i);
        }

        _row++;
        RowsRead++;
        return true;
    }

    /// <summary>The next line DuckDB skipped, as a rejected row (the lines are listed once the rows are all read).</summary>
    bool ReadSkippedLine(IRowSink sink)
    {
        if (_skipped is null)
            return false;
        if (_skippedLines is null)
        {
            try
            {
                _skippedLines = new Queue<SkippedLine>(_skipped(_connection));
            }
            catch (FerryException e)
            {
                throw new FerryException($"{_description}: DuckDB cannot list the lines it skipped: {e.Message}", FailureKind.Failed, e);
            }
        }

        if (!_skippedLines.TryDequeue(out var line))
            return false;
        sink.Reject(line.Column, line.Value, line.Reason);
        RowsRead++;
        return true;
    }

    bool NextChunk()
    {
        if (_done)
            return false;
        _chunk?.Dispose();
        _chunk = null;
        try
        {
            _chunk = _result.NextChunk();
        }
        catch (FerryException e)
        {
            _done = true;
            throw Explained(e) ?? new FerryException($"{_description}: DuckDB failed while reading (after {RowsRead} rows): {e.Message}", FailureKind.Failed, e);
        }

        if (_chunk is null)
        {
            _done = true;
            _size = 0;
            return false;
        }

        for (var i = 0; i < _vectors.Length; i++)
            _vectors[i] = VectorView.Create(_chunk.Vector(i), _types[i]);
        _row = 0;
        _size = _chunk.Size;
        return true;
    }

    public void Dispose()
    {
        _chunk?.Dispose();
        _result.Dispose();
        _connection.Dispose();
    }
}
