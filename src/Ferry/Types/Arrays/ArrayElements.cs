using System.Collections;
using System.Runtime.CompilerServices;
using Ferry.Copy;
using Ferry.Copy.Internal;
using NpgsqlTypes;

namespace Ferry.Types.Arrays;

/// <summary>
/// An array element as a binary COPY field, by its CLR type (see <see cref="IRowSink.SetArray{T}"/>): the element
/// types the readers hand over, nullable or not. typeof tests are constants per instantiation: no boxing.
/// </summary>
internal static class ArrayElements
{
    static bool Is<T, TValue>()
        where TValue : struct => typeof(T) == typeof(TValue) || typeof(T) == typeof(TValue?);

    static TValue Get<T, TValue>(ref T value)
        where TValue : struct => typeof(T) == typeof(TValue) ? Unsafe.As<T, TValue>(ref value) : Unsafe.As<T, TValue?>(ref value).GetValueOrDefault();

    /// <summary>Whether elements of <typeparamref name="T"/> have a writer.</summary>
    public static bool Writes<T>() =>
        Is<T, bool>() || Is<T, short>() || Is<T, int>() || Is<T, long>() || Is<T, float>() || Is<T, double>() || Is<T, decimal>()
        || Is<T, WideNumeric>() || Is<T, TimeSpan>() || Is<T, DateTimeOffset>() || Is<T, NpgsqlInterval>() || Is<T, Guid>()
        || typeof(T) == typeof(string) || typeof(T) == typeof(byte[]) || typeof(T) == typeof(BitArray);

    public static void Write<T>(BinaryCopyWriter writer, ref T value, bool jsonb)
    {
        if (value is null)
            writer.WriteNull();
        else if (Is<T, bool>())
            writer.WriteBoolean(Get<T, bool>(ref value));
        else if (Is<T, short>())
            writer.WriteInt16(Get<T, short>(ref value));
        else if (Is<T, int>())
            writer.WriteInt32(Get<T, int>(ref value)); // integer, and date as PostgreSQL stores it
        else if (Is<T, long>())
            writer.WriteInt64(Get<T, long>(ref value)); // bigint, and timestamp(tz) as PostgreSQL stores it
        else if (Is<T, float>())
            writer.WriteFloat4(Get<T, float>(ref value));
        else if (Is<T, double>())
            writer.WriteFloat8(Get<T, double>(ref value));
        else if (Is<T, decimal>())
            WriteNumeric(writer, Get<T, decimal>(ref value));
        else if (Is<T, WideNumeric>())
            writer.WriteNumeric(Get<T, WideNumeric>(ref value));
        else if (Is<T, TimeSpan>())
            writer.WriteTime(Get<T, TimeSpan>(ref value));
        else if (Is<T, DateTimeOffset>())
            writer.WriteTimeTz(Get<T, DateTimeOffset>(ref value));
        else if (Is<T, NpgsqlInterval>())
            writer.WriteInterval(Get<T, NpgsqlInterval>(ref value));
        else if (Is<T, Guid>())
            writer.WriteUuid(Get<T, Guid>(ref value));
        else if (typeof(T) == typeof(string))
            writer.WriteText(Unsafe.As<T, string>(ref value), jsonb);
        else if (typeof(T) == typeof(byte[]))
            writer.WriteBytes(Unsafe.As<T, byte[]>(ref value));
        else if (typeof(T) == typeof(BitArray))
            writer.WriteBits(Unsafe.As<T, BitArray>(ref value));
        else
            throw new NotSupportedException($"No binary COPY writer for array elements of {typeof(T).Name}.");
    }

    static void WriteNumeric(BinaryCopyWriter writer, decimal value)
    {
        if (value == 0)
            writer.WriteNumericZero(value.Scale);
        else
            writer.WriteNumeric(value);
    }
}
