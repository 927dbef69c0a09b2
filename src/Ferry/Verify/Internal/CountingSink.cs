using Ferry.Copy;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>Counts rows, noting rejections, without rendering anything.</summary>
internal sealed class CountingSink : IRowSink
{
    public bool Rejected { get; set; }

    public void SetNull(int column) { }

    public void SetBoolean(int column, bool value) { }

    public void SetInt16(int column, short value) { }

    public void SetInt32(int column, int value) { }

    public void SetInt64(int column, long value) { }

    public void SetFloat4(int column, float value) { }

    public void SetFloat8(int column, double value) { }

    public void SetDecimal(int column, decimal value) { }

    public void SetNumericText(int column, string value) { }

    public void SetText(int column, string value) { }

    public void SetTextUtf8(int column, ReadOnlySpan<byte> value) { }

    public void SetBytes(int column, ReadOnlySpan<byte> value) { }

    public void SetDate(int column, DateOnly value) { }

    public void SetTime(int column, TimeSpan value) { }

    public void SetTimeTz(int column, DateTimeOffset value) { }

    public void SetTimestamp(int column, DateTime value) { }

    public void SetTimestampTz(int column, DateTime utcValue) { }

    public void SetInfinity(int column, bool negative) { }

    public void SetInterval(int column, NpgsqlInterval value) { }

    public void SetUuid(int column, Guid value) { }

    public void SetArray<T>(int column, T[] value) { }

    public void SetBits(int column, System.Collections.BitArray value) { }

    public void Reject(int column, string? value, string reason) => Rejected = true;

    public void NoteRepair(int column, string original, string reason) { }
}
