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

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static partial int Type(nint stmt, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long Int64(nint stmt, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    public static partial double Double(nint stmt, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    private static partial byte* ColumnText(nint stmt, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* ColumnBlob(nint stmt, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int Bytes(nint stmt, int column);

    /// <summary>A TEXT value's UTF-8 bytes (converted by SQLite if the database is UTF-16), valid until the next step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> TextBytes(nint stmt, int column)
    {
        var p = ColumnText(stmt, column); // text first, then its length, as the C API asks
        return p is null ? default : new ReadOnlySpan<byte>(p, Bytes(stmt, column));
    }

    /// <summary>A BLOB value's bytes, valid until the next step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> BlobBytes(nint stmt, int column)
    {
        var p = ColumnBlob(stmt, column);
        return p is null ? default : new ReadOnlySpan<byte>(p, Bytes(stmt, column));
    }
}
