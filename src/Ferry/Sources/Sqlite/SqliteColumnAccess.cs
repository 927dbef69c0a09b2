using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// The per-row and per-value C API calls of the read path, bound straight to the e_sqlite3 library that
/// SQLitePCLRaw loads: they skip SQLitePCLRaw's provider indirection and SafeHandle reference counting, and
/// the per-value ones (short, non-blocking calls) the GC transition too.
/// The statement pointer stays valid because the reader owns the statement's handle.
/// </summary>
internal static unsafe partial class SqliteColumnAccess
{
    const string Library = "e_sqlite3";

    public const int Integer = 1;
    public const int Float = 2;
    public const int Text = 3;
    public const int Blob = 4;
    public const int Null = 5;

    public const int Row = 100;
    public const int Done = 101;

    /// <summary>sqlite3_step, once per row: reads pages, so it keeps the GC transition.</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint stmt);

    /// <summary>
    /// sqlite3_column_value: the current row's value in a column, read with the <c>Value…</c> calls below. Each
    /// sqlite3_column_* call enters and leaves the statement's API (columnMem, columnMallocFailure: 9% of a copy's
    /// CPU when the type and the value were two such calls); this is one per value, the value_* calls none. SQLite
    /// calls the object "unprotected": safe here, where the connection is NOMUTEX and one thread reads it.
    /// Valid until the next step.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_column_value")]
    [SuppressGCTransition]
    public static partial nint Value(nint stmt, int column);

    /// <summary>The storage class of a <see cref="Value"/>: <see cref="Integer"/> … <see cref="Null"/>.</summary>
    [LibraryImport(Library, EntryPoint = "sqlite3_value_type")]
    [SuppressGCTransition]
    public static partial int Type(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_int64")]
    [SuppressGCTransition]
    public static partial long Int64(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_double")]
    [SuppressGCTransition]
    public static partial double Double(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_text")]
    [SuppressGCTransition]
    private static partial byte* ValueText(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_blob")]
    [SuppressGCTransition]
    private static partial byte* ValueBlob(nint value);

    [LibraryImport(Library, EntryPoint = "sqlite3_value_bytes")]
    [SuppressGCTransition]
    private static partial int Bytes(nint value);

    /// <summary>A TEXT value's UTF-8 bytes (converted by SQLite if the database is UTF-16), valid until the next step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> TextBytes(nint value)
    {
        var p = ValueText(value); // text first, then its length, as the C API asks
        return p is null ? default : new ReadOnlySpan<byte>(p, Bytes(value));
    }

    /// <summary>A BLOB value's bytes, valid until the next step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> BlobBytes(nint value)
    {
        var p = ValueBlob(value);
        return p is null ? default : new ReadOnlySpan<byte>(p, Bytes(value));
    }
}
