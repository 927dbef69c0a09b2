using System.Runtime.InteropServices;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>DuckDB's logical type ids (<c>duckdb_type</c> in duckdb.h).</summary>
internal enum DuckDbType
{
    Invalid = 0,
    Boolean = 1,
    TinyInt = 2,
    SmallInt = 3,
    Integer = 4,
    BigInt = 5,
    UTinyInt = 6,
    USmallInt = 7,
    UInteger = 8,
    UBigInt = 9,
    Float = 10,
    Double = 11,
    Timestamp = 12,
    Date = 13,
    Time = 14,
    Interval = 15,
    HugeInt = 16,
    Varchar = 17,
    Blob = 18,
    Decimal = 19,
    TimestampS = 20,
    TimestampMs = 21,
    TimestampNs = 22,
    Enum = 23,
    List = 24,
    Struct = 25,
    Map = 26,
    Uuid = 27,
    Union = 28,
    Bit = 29,
    TimeTz = 30,
    TimestampTz = 31,
    UHugeInt = 32,
    Array = 33,
    Any = 34,
    BigNum = 35,
    SqlNull = 36,
    StringLiteral = 37,
    IntegerLiteral = 38,
    TimeNs = 39,
    Geometry = 40,
    Variant = 41,
}

/// <summary><c>duckdb_result</c> itself, for the functions that take it by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ResultStruct
{
    public ulong ColumnCount;
    public ulong RowCount;
    public ulong RowsChanged;
    public IntPtr Columns;
    public IntPtr ErrorMessage;
    public IntPtr InternalData;
}

/// <summary>
/// The part of DuckDB's C API Ferry uses: open/connect, prepared statements, streaming results read chunk by
/// chunk through vectors, and logical types. Handles are plain pointers here; <see cref="DuckDbConnection"/>
/// and friends own and destroy them.
/// </summary>
internal static unsafe partial class NativeMethods
{
    const string Lib = DuckDbLibrary.LibraryName;

    /// <summary>sizeof(duckdb_result): five deprecated idx_t/pointer fields plus internal_data.</summary>
    public const int ResultSize = 48;

    // Open/connect.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int duckdb_open_ext(string? path, out IntPtr database, IntPtr config, out IntPtr error);

    [LibraryImport(Lib)]
    public static partial void duckdb_close(ref IntPtr database);

    [LibraryImport(Lib)]
    public static partial int duckdb_connect(IntPtr database, out IntPtr connection);

    [LibraryImport(Lib)]
    public static partial void duckdb_disconnect(ref IntPtr connection);

    [LibraryImport(Lib)]
    public static partial int duckdb_create_config(out IntPtr config);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int duckdb_set_config(IntPtr config, string name, string option);

    [LibraryImport(Lib)]
    public static partial void duckdb_destroy_config(ref IntPtr config);

    [LibraryImport(Lib)]
    public static partial void duckdb_free(IntPtr pointer);

    // Statements and results.
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int duckdb_query(IntPtr connection, string query, IntPtr result);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int duckdb_prepare(IntPtr connection, string query, out IntPtr prepared);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_prepare_error(IntPtr prepared);

    [LibraryImport(Lib)]
    public static partial void duckdb_destroy_prepare(ref IntPtr prepared);

    [LibraryImport(Lib)]
    public static partial ulong duckdb_prepared_statement_column_count(IntPtr prepared);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_prepared_statement_column_name(IntPtr prepared, ulong column);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_prepared_statement_column_logical_type(IntPtr prepared, ulong column);

    [LibraryImport(Lib)]
    public static partial int duckdb_pending_prepared_streaming(IntPtr prepared, out IntPtr pending);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_pending_error(IntPtr pending);

    [LibraryImport(Lib)]
    public static partial int duckdb_execute_pending(IntPtr pending, IntPtr result);

    [LibraryImport(Lib)]
    public static partial void duckdb_destroy_pending(ref IntPtr pending);

    [LibraryImport(Lib)]
    public static partial void duckdb_destroy_result(IntPtr result);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_result_error(IntPtr result);

    [LibraryImport(Lib)]
    public static partial ulong duckdb_column_count(IntPtr result);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_column_name(IntPtr result, ulong column);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_column_logical_type(IntPtr result, ulong column);

    /// <summary>The next chunk of a (streaming or materialized) result; NULL at the end or on error. Takes the struct by value.</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_fetch_chunk(ResultStruct result);

    // Data chunks and vectors.
    [LibraryImport(Lib)]
    public static partial ulong duckdb_data_chunk_get_size(IntPtr chunk);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_data_chunk_get_vector(IntPtr chunk, ulong column);

    [LibraryImport(Lib)]
    public static partial void duckdb_destroy_data_chunk(ref IntPtr chunk);

    [LibraryImport(Lib)]
    public static partial void* duckdb_vector_get_data(IntPtr vector);

    /// <summary>The validity bitmask (bit i of word i/64 set = row valid), or NULL when every row is valid.</summary>
    [LibraryImport(Lib)]
    public static partial ulong* duckdb_vector_get_validity(IntPtr vector);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_list_vector_get_child(IntPtr vector);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_array_vector_get_child(IntPtr vector);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_struct_vector_get_child(IntPtr vector, ulong index);

    // Logical types.
    [LibraryImport(Lib)]
    public static partial DuckDbType duckdb_get_type_id(IntPtr type);

    [LibraryImport(Lib)]
    public static partial void duckdb_destroy_logical_type(ref IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_logical_type_get_alias(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_geometry_type_get_crs(IntPtr type);

    [LibraryImport(Lib)]
    public static partial byte duckdb_decimal_width(IntPtr type);

    [LibraryImport(Lib)]
    public static partial byte duckdb_decimal_scale(IntPtr type);

    [LibraryImport(Lib)]
    public static partial DuckDbType duckdb_decimal_internal_type(IntPtr type);

    [LibraryImport(Lib)]
    public static partial DuckDbType duckdb_enum_internal_type(IntPtr type);

    [LibraryImport(Lib)]
    public static partial uint duckdb_enum_dictionary_size(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_enum_dictionary_value(IntPtr type, ulong index);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_list_type_child_type(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_array_type_child_type(IntPtr type);

    [LibraryImport(Lib)]
    public static partial ulong duckdb_array_type_array_size(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_map_type_key_type(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_map_type_value_type(IntPtr type);

    [LibraryImport(Lib)]
    public static partial ulong duckdb_struct_type_child_count(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_struct_type_child_name(IntPtr type, ulong index);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_struct_type_child_type(IntPtr type, ulong index);

    [LibraryImport(Lib)]
    public static partial ulong duckdb_union_type_member_count(IntPtr type);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_union_type_member_name(IntPtr type, ulong index);

    [LibraryImport(Lib)]
    public static partial IntPtr duckdb_union_type_member_type(IntPtr type, ulong index);

    /// <summary>A UTF-8 string DuckDB owns (not freed).</summary>
    public static string? Utf8(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);

    /// <summary>A UTF-8 string DuckDB allocated for us: read, then freed with duckdb_free.</summary>
    public static string? TakeUtf8(IntPtr text)
    {
        if (text == IntPtr.Zero)
            return null;
        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            duckdb_free(text);
        }
    }
}
