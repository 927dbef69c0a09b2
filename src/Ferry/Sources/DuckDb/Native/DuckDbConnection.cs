using System.Runtime.InteropServices;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>An open DuckDB database (a file, read-only, or in memory). Thread-safe; connections are not.</summary>
internal sealed class DuckDbDatabase : SafeHandle
{
    DuckDbDatabase() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Opens <paramref name="path"/> (null: in memory); <paramref name="readOnly"/> never writes to the file.</summary>
    public static DuckDbDatabase Open(string? path, bool readOnly)
    {
        DuckDbLibrary.EnsureLoaded();
        NativeMethods.duckdb_create_config(out var config);
        try
        {
            if (readOnly)
                NativeMethods.duckdb_set_config(config, "access_mode", "READ_ONLY");
            var database = new DuckDbDatabase();
            if (NativeMethods.duckdb_open_ext(path, out var handle, config, out var error) != 0)
            {
                var message = NativeMethods.TakeUtf8(error) ?? "unknown error";
                throw new FerryException($"DuckDB cannot open {path ?? "an in-memory database"}: {message}");
            }

            database.SetHandle(handle);
            return database;
        }
        finally
        {
            NativeMethods.duckdb_destroy_config(ref config);
        }
    }

    public DuckDbConnection Connect()
    {
        if (NativeMethods.duckdb_connect(handle, out var connection) != 0)
            throw new FerryException("DuckDB refused a new connection to its database.");
        return new DuckDbConnection(connection);
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_close(ref h);
        return true;
    }
}

/// <summary>One DuckDB connection: statements, and results streamed chunk by chunk.</summary>
internal sealed class DuckDbConnection : SafeHandle
{
    public DuckDbConnection(IntPtr connection) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(connection);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Runs statements whose results are not needed (DDL, INSERT, COPY … TO).</summary>
    public void Execute(string sql)
    {
        using var result = DuckDbResult.Allocate();
        var failed = NativeMethods.duckdb_query(handle, sql, result.Pointer) != 0;
        if (failed)
            throw new FerryException(result.Error ?? "DuckDB query failed.");
    }

    /// <summary>The columns a query would return (names and types), without running it.</summary>
    public IReadOnlyList<DuckDbField> Describe(string sql)
    {
        var prepared = Prepare(sql);
        try
        {
            var count = (int)NativeMethods.duckdb_prepared_statement_column_count(prepared);
            var columns = new DuckDbField[count];
            for (var i = 0; i < count; i++)
            {
                columns[i] = new DuckDbField(
                    NativeMethods.Utf8(NativeMethods.duckdb_prepared_statement_column_name(prepared, (ulong)i)) ?? "",
                    DuckDbTypeInfo.Take(NativeMethods.duckdb_prepared_statement_column_logical_type(prepared, (ulong)i)));
            }

            return columns;
        }
        finally
        {
            NativeMethods.duckdb_destroy_prepare(ref prepared);
        }
    }

    /// <summary>Runs a query as a streaming result: rows are produced as chunks are fetched (bounded memory).</summary>
    public DuckDbResult Stream(string sql)
    {
        var prepared = Prepare(sql);
        var pending = IntPtr.Zero;
        try
        {
            if (NativeMethods.duckdb_pending_prepared_streaming(prepared, out pending) != 0)
                throw new FerryException(NativeMethods.Utf8(NativeMethods.duckdb_pending_error(pending)) ?? "DuckDB could not start the query.");
            var result = DuckDbResult.Allocate();
            if (NativeMethods.duckdb_execute_pending(pending, result.Pointer) != 0)
            {
                var error = result.Error ?? NativeMethods.Utf8(NativeMethods.duckdb_pending_error(pending)) ?? "DuckDB query failed.";
                result.Dispose();
                throw new FerryException(error);
            }

            return result;
        }
        finally
        {
            if (pending != IntPtr.Zero)
                NativeMethods.duckdb_destroy_pending(ref pending);
            NativeMethods.duckdb_destroy_prepare(ref prepared);
        }
    }

    /// <summary>A small query's rows with every value as text (NULL as null): catalog queries, not data.</summary>
    public List<string?[]> QueryText(string sql)
    {
        var rows = new List<string?[]>();
        StreamText(sql, (values, _) => rows.Add((string?[])values.Clone()));
        return rows;
    }

    /// <summary>Each row of <paramref name="sql"/> as text (NULL as null) into <paramref name="row"/>, the same array each time, with the columns' types.</summary>
    public void StreamText(string sql, Action<string?[], DuckDbType[]> row)
    {
        using var result = Stream(sql);
        var columns = result.Columns;
        var types = columns.Select(c => c.Type.Id).ToArray();
        var values = new string?[columns.Count];
        while (result.NextChunk() is { } chunk)
        {
            using (chunk)
            {
                var vectors = new VectorView[columns.Count];
                for (var c = 0; c < vectors.Length; c++)
                    vectors[c] = VectorView.Create(chunk.Vector(c), columns[c].Type);
                for (var r = 0; r < chunk.Size; r++)
                {
                    for (var c = 0; c < values.Length; c++)
                        values[c] = vectors[c].IsValid(r) ? ValueText.Render(vectors[c], columns[c].Type, r) : null;
                    row(values, types);
                }
            }
        }
    }

    IntPtr Prepare(string sql)
    {
        if (NativeMethods.duckdb_prepare(handle, sql, out var prepared) == 0)
            return prepared;
        var error = NativeMethods.Utf8(NativeMethods.duckdb_prepare_error(prepared)) ?? "DuckDB could not prepare the query.";
        NativeMethods.duckdb_destroy_prepare(ref prepared);
        throw new FerryException(error);
    }

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_disconnect(ref h);
        return true;
    }
}

/// <summary>A query result (a native <c>duckdb_result</c> struct we allocate), read chunk by chunk.</summary>
internal sealed class DuckDbResult : SafeHandle
{
    IReadOnlyList<DuckDbField>? _columns;

    DuckDbResult() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr Pointer => handle;

    public static DuckDbResult Allocate()
    {
        var result = new DuckDbResult();
        var memory = Marshal.AllocHGlobal(NativeMethods.ResultSize);
        System.Diagnostics.Debug.Assert(Marshal.SizeOf<ResultStruct>() == NativeMethods.ResultSize);
        unsafe
        {
            new Span<byte>((void*)memory, NativeMethods.ResultSize).Clear();
        }

        result.SetHandle(memory);
        return result;
    }

    public string? Error => NativeMethods.Utf8(NativeMethods.duckdb_result_error(handle));

    public IReadOnlyList<DuckDbField> Columns => _columns ??= ReadColumns();

    IReadOnlyList<DuckDbField> ReadColumns()
    {
        var count = (int)NativeMethods.duckdb_column_count(handle);
        var columns = new DuckDbField[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = new DuckDbField(
                NativeMethods.Utf8(NativeMethods.duckdb_column_name(handle, (ulong)i)) ?? "",
                DuckDbTypeInfo.Take(NativeMethods.duckdb_column_logical_type(handle, (ulong)i)));
        }

        return columns;
    }

    /// <summary>The next non-empty chunk, or null at the end; a failure while reading (a corrupt file) throws.</summary>
    public DuckDbChunk? NextChunk()
    {
        while (true)
        {
            IntPtr chunk;
            unsafe
            {
                chunk = NativeMethods.duckdb_fetch_chunk(*(ResultStruct*)handle);
            }

            if (chunk == IntPtr.Zero)
            {
                if (Error is { } error)
                    throw new FerryException(error, FailureKind.Failed);
                return null;
            }

            var size = (int)NativeMethods.duckdb_data_chunk_get_size(chunk);
            if (size > 0)
                return new DuckDbChunk(chunk, size);
            NativeMethods.duckdb_destroy_data_chunk(ref chunk);
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.duckdb_destroy_result(handle);
        Marshal.FreeHGlobal(handle);
        return true;
    }
}

/// <summary>One chunk of rows (up to 2048); its vectors are valid until it is disposed.</summary>
internal sealed class DuckDbChunk : SafeHandle
{
    public DuckDbChunk(IntPtr chunk, int size) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(chunk);
        Size = size;
    }

    public int Size { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr Vector(int column) => NativeMethods.duckdb_data_chunk_get_vector(handle, (ulong)column);

    protected override bool ReleaseHandle()
    {
        var h = handle;
        NativeMethods.duckdb_destroy_data_chunk(ref h);
        return true;
    }
}
