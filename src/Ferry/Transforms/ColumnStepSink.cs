using System.Collections;
using Ferry.Copy;
using Ferry.Schema;
using NpgsqlTypes;

namespace Ferry.Transforms;

/// <summary>
/// Runs the planned columns' steps on each value a reader sets, then passes it on: the one place the copy's row path
/// and verify's source side apply them. Only a table with steps reads through it (<see cref="Over"/>); the others set
/// their values on the sink directly, as before steps existed.
/// </summary>
internal sealed class ColumnStepSink : IRowSink
{
    readonly IRowSink _next;
    readonly ColumnStep[]?[] _steps;
    readonly Action<int, string>? _unrepeatable;

    ColumnStepSink(IRowSink next, ColumnStep[]?[] steps, Action<int, string>? unrepeatable)
    {
        _next = next;
        _steps = steps;
        _unrepeatable = unrepeatable;
    }

    /// <summary><paramref name="sink"/> itself when no copied column of <paramref name="table"/> has steps; else the sink behind its steps.</summary>
    public static IRowSink Over(IRowSink sink, PlannedTable table) =>
        table.HasSteps ? new ColumnStepSink(sink, Steps(table), null) : sink;

    /// <summary>
    /// For verify's source side: as <see cref="Over"/>, but a step that is not <see cref="ColumnStep.Deterministic"/>
    /// is not run: the value it would have taken goes to <paramref name="unrepeatable"/> (when given), and the sink gets
    /// an empty text in its place, as the target's side hashes only whether such a value is NULL.
    /// </summary>
    public static IRowSink ForVerify(IRowSink sink, PlannedTable table, Action<int, string>? unrepeatable = null) =>
        table.HasSteps ? new ColumnStepSink(sink, Steps(table), unrepeatable ?? ((_, _) => { })) : sink;

    static ColumnStep[]?[] Steps(PlannedTable table) => [.. table.Copied.Select(c => c.Steps.Count > 0 ? c.Steps.ToArray() : null)];

    /// <summary>A read column's steps; none past the columns read (a fold member's JSON a source's server made, see <see cref="PlannedTable.ServerJsonMembers"/>).</summary>
    ColumnStep[]? StepsOf(int column) => column < _steps.Length ? _steps[column] : null;

    public void SetText(int column, string value)
    {
        if (StepsOf(column) is { } steps)
            Apply(column, steps, value);
        else
            _next.SetText(column, value);
    }

    public void SetTextUtf8(int column, ReadOnlySpan<byte> value)
    {
        if (StepsOf(column) is { } steps)
            Apply(column, steps, System.Text.Encoding.UTF8.GetString(value));
        else
            _next.SetTextUtf8(column, value);
    }

    /// <summary>The column's steps in order; the value, NULL, or the row rejected (a masked column's value never shown).</summary>
    void Apply(int column, ColumnStep[] steps, string value)
    {
        var original = value;
        foreach (var step in steps)
        {
            if (_unrepeatable is not null && !step.Deterministic)
            {
                _unrepeatable(column, value);
                _next.SetText(column, "");
                return;
            }

            var result = step.Apply(ref value);
            if (result.Outcome == StepOutcome.Null)
            {
                _next.SetNull(column);
                return;
            }

            if (result.Outcome == StepOutcome.Reject)
            {
                if (Masked(steps))
                    _next.Reject(column, Connections.Redaction.Mask, Conceal(Conceal(result.Reason!, original), value));
                else
                    _next.Reject(column, original, result.Reason!);
                return;
            }
        }

        _next.SetText(column, value);
    }

    /// <summary>A masked column's reason without its value, which a reason quotes (a map's "no mapping for 'x'").</summary>
    static string Conceal(string reason, string value) =>
        reason.Replace($"'{value}'", $"'{Connections.Redaction.Mask}'", StringComparison.Ordinal);

    static bool Masked(ColumnStep[] steps)
    {
        foreach (var step in steps)
        {
            if (step.Masks)
                return true;
        }

        return false;
    }

    public void SetNull(int column) => _next.SetNull(column);

    public void SetBoolean(int column, bool value) => _next.SetBoolean(column, value);

    public void SetInt16(int column, short value) => _next.SetInt16(column, value);

    public void SetInt32(int column, int value) => _next.SetInt32(column, value);

    public void SetInt64(int column, long value) => _next.SetInt64(column, value);

    public void SetFloat4(int column, float value) => _next.SetFloat4(column, value);

    public void SetFloat8(int column, double value) => _next.SetFloat8(column, value);

    public void SetDecimal(int column, decimal value) => _next.SetDecimal(column, value);

    public void SetNumericText(int column, string value) => _next.SetNumericText(column, value);

    public void SetBytes(int column, ReadOnlySpan<byte> value) => _next.SetBytes(column, value);

    public void SetDate(int column, DateOnly value) => _next.SetDate(column, value);

    public void SetTime(int column, TimeSpan value) => _next.SetTime(column, value);

    public void SetTimeTz(int column, DateTimeOffset value) => _next.SetTimeTz(column, value);

    public void SetTimestamp(int column, DateTime value) => _next.SetTimestamp(column, value);

    public void SetTimestampTz(int column, DateTime utcValue) => _next.SetTimestampTz(column, utcValue);

    public void SetInfinity(int column, bool negative) => _next.SetInfinity(column, negative);

    public void SetInterval(int column, NpgsqlInterval value) => _next.SetInterval(column, value);

    public void SetUuid(int column, Guid value) => _next.SetUuid(column, value);

    public void SetArray<T>(int column, T[] value) => _next.SetArray(column, value);

    public void SetBits(int column, BitArray value) => _next.SetBits(column, value);

    public void SetBinary(int column, ReadOnlySpan<byte> field) => _next.SetBinary(column, field);

    public void Reject(int column, string? value, string reason) => _next.Reject(column, value, reason);

    public void NoteRepair(int column, string original, string reason) => _next.NoteRepair(column, original, reason);
}
