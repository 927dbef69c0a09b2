using System.Buffers;

namespace Ferry.Types;

/// <summary>A batch's variable-length values, one column's: copied into one pooled byte array (no array per value).</summary>
internal sealed class ByteArena(int capacity) : IDisposable
{
    byte[] _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
    int _used;
    readonly int[] _offsets = new int[capacity];
    readonly int[] _lengths = new int[capacity];

    public void Set(int row, ReadOnlySpan<byte> value)
    {
        if (_used + value.Length > _bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + value.Length));
            _bytes.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = bigger;
        }

        value.CopyTo(_bytes.AsSpan(_used));
        _offsets[row] = _used;
        _lengths[row] = value.Length;
        _used += value.Length;
    }

    /// <summary>The row holds nothing here (its value is kept elsewhere).</summary>
    public void Forget(int row)
    {
        _offsets[row] = 0;
        _lengths[row] = 0;
    }

    public ReadOnlySpan<byte> Get(int row) => _bytes.AsSpan(_offsets[row], _lengths[row]);

    /// <summary>Forgets the bytes of rows from <paramref name="row"/> on (a rejected row at the end of the batch).</summary>
    public void TruncateFrom(int row)
    {
        if (_lengths[row] > 0 && _offsets[row] + _lengths[row] == _used)
            _used = _offsets[row];
    }

    public void Reset()
    {
        _used = 0;
        if (_bytes.Length > 4 * 1024 * 1024)
        {
            // A batch of large values should not keep its arena for the whole table.
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_bytes);
}
