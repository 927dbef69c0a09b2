using System.Runtime.CompilerServices;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>
/// A flat vector of one chunk, read in place: its data pointer, validity bitmask, and child vectors
/// (LIST/ARRAY element, MAP entries, STRUCT fields, UNION tag + members). Valid while its chunk lives.
/// </summary>
internal sealed unsafe class VectorView
{
    readonly ulong* _validity;

    VectorView(byte* data, ulong* validity, VectorView[] children)
    {
        Data = data;
        _validity = validity;
        Children = children;
    }

    public byte* Data { get; }

    /// <summary>LIST/ARRAY: [element]; MAP: [entries STRUCT]; STRUCT: fields; UNION: [tag, members…].</summary>
    public VectorView[] Children { get; }

    /// <summary>ARRAY: elements per row.</summary>
    public int ArraySize { get; private init; }

    public static VectorView Create(IntPtr vector, DuckDbTypeInfo type)
    {
        var data = (byte*)NativeMethods.duckdb_vector_get_data(vector);
        var validity = NativeMethods.duckdb_vector_get_validity(vector);
        VectorView[] children = type.Id switch
        {
            DuckDbType.List or DuckDbType.Map => [Create(NativeMethods.duckdb_list_vector_get_child(vector), type.Child!)],
            DuckDbType.Array => [Create(NativeMethods.duckdb_array_vector_get_child(vector), type.Child!)],
            DuckDbType.Struct => StructChildren(vector, type.Fields, 0),
            DuckDbType.Union => StructChildren(vector, type.Fields, 1),
            _ => [],
        };
        return new VectorView(data, validity, children) { ArraySize = type.ArraySize };
    }

    static VectorView[] StructChildren(IntPtr vector, DuckDbField[] fields, int first)
    {
        var children = new VectorView[fields.Length + first];
        if (first == 1)
            children[0] = Create(NativeMethods.duckdb_struct_vector_get_child(vector, 0), new DuckDbTypeInfo { Id = DuckDbType.UTinyInt });
        for (var i = 0; i < fields.Length; i++)
            children[i + first] = Create(NativeMethods.duckdb_struct_vector_get_child(vector, (ulong)(i + first)), fields[i].Type);
        return children;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(int row) => _validity == null || (_validity[row >> 6] & (1UL << (row & 63))) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Get<T>(int row) where T : unmanaged => ((T*)Data)[row];

    /// <summary>A VARCHAR/BLOB/BIT value (<c>duckdb_string_t</c>): up to 12 bytes inline, else a pointer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Bytes(int row)
    {
        var p = Data + (row * 16);
        var length = *(uint*)p;
        return length <= 12
            ? new ReadOnlySpan<byte>(p + 4, (int)length)
            : new ReadOnlySpan<byte>(*(byte**)(p + 8), (int)length);
    }

    /// <summary>A VARCHAR/BLOB/BIT value's length in bytes, read before <see cref="Bytes"/> (which takes at most 2 GB).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Length(int row) => *(uint*)(Data + (row * 16));

    /// <summary>The first bytes of a VARCHAR/BLOB/BIT value, at most <paramref name="max"/>.</summary>
    public ReadOnlySpan<byte> Prefix(int row, int max) =>
        Length(row) <= 12 ? Bytes(row) : new ReadOnlySpan<byte>(*(byte**)(Data + (row * 16) + 8), (int)Math.Min(Length(row), max));

    /// <summary>A LIST/MAP row's element range in the child vector (<c>duckdb_list_entry</c>).</summary>
    public (int Offset, int Length) ListEntry(int row)
    {
        var p = (ulong*)Data + (row * 2);
        return ((int)p[0], (int)p[1]);
    }

    /// <summary>Element range of a LIST, MAP or ARRAY row.</summary>
    public (int Offset, int Length) Elements(int row) => ArraySize > 0 ? (row * ArraySize, ArraySize) : ListEntry(row);
}
