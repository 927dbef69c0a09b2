using System.Globalization;
using System.Runtime.CompilerServices;
using Ferry.Copy.Internal;
using NpgsqlTypes;

namespace Ferry.Types;

/// <summary>A fixed-size value type (bigint, double precision, timestamp, uuid…).</summary>
internal sealed class ValueSlots<T>(int capacity) : ColumnSlots(capacity)
    where T : struct
{
    public T[] Values { get; } = new T[capacity];

    // typeof(T) tests are constants per instantiation: the JIT keeps only the matching branch (no boxing).
    protected override void WriteValue(BinaryCopyWriter writer, int row)
    {
        ref var value = ref Values[row];
        if (typeof(T) == typeof(bool))
            writer.WriteBoolean(Unsafe.As<T, bool>(ref value));
        else if (typeof(T) == typeof(short))
            writer.WriteInt16(Unsafe.As<T, short>(ref value));
        else if (typeof(T) == typeof(int))
            writer.WriteInt32(Unsafe.As<T, int>(ref value));
        else if (typeof(T) == typeof(long))
            writer.WriteInt64(Unsafe.As<T, long>(ref value));
        else if (typeof(T) == typeof(float))
            writer.WriteFloat4(Unsafe.As<T, float>(ref value));
        else if (typeof(T) == typeof(double))
            writer.WriteFloat8(Unsafe.As<T, double>(ref value));
        else if (typeof(T) == typeof(TimeSpan))
            writer.WriteTime(Unsafe.As<T, TimeSpan>(ref value));
        else if (typeof(T) == typeof(DateTimeOffset))
            writer.WriteTimeTz(Unsafe.As<T, DateTimeOffset>(ref value));
        else if (typeof(T) == typeof(NpgsqlInterval))
            writer.WriteInterval(Unsafe.As<T, NpgsqlInterval>(ref value));
        else if (typeof(T) == typeof(Guid))
            writer.WriteUuid(Unsafe.As<T, Guid>(ref value));
        else
            throw new NotSupportedException($"No direct binary COPY writer for {typeof(T).Name}.");
    }

    protected override string RenderValue(int row) => Values[row] switch
    {
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}
