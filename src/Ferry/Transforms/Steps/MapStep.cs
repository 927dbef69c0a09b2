using System.Collections.Frozen;
using Ferry.Schema;

namespace Ferry.Transforms.Steps;

/// <summary>
/// <c>map: { old: NEW, … }</c>: a value equal to a key (exactly: ordinal, case-sensitive) becomes its mapped value; a
/// value with no mapping is rejected, kept or made NULL (<c>unmapped:</c>), or becomes <c>default:</c>. The reject
/// reason names the value (the sink masks it when the column's values are secret).
/// </summary>
public sealed class MapStep : ColumnStep
{
    readonly FrozenDictionary<string, string> _map;
    readonly string? _default;
    readonly int _longest;

    /// <summary>A map whose unmapped values are rejected, kept or made NULL.</summary>
    public MapStep(IReadOnlyDictionary<string, string> map, ValuePolicy unmapped)
        : this(map, unmapped, null)
    {
    }

    /// <summary>A map whose unmapped values become <paramref name="defaultValue"/>.</summary>
    public MapStep(IReadOnlyDictionary<string, string> map, string defaultValue)
        : this(map, ValuePolicy.Keep, defaultValue ?? throw new ArgumentNullException(nameof(defaultValue)))
    {
    }

    MapStep(IReadOnlyDictionary<string, string> map, ValuePolicy unmapped, string? defaultValue)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Count == 0)
            throw new FerryException("map: give at least one mapping (old: NEW).");
        _map = map.ToFrozenDictionary(StringComparer.Ordinal);
        Unmapped = unmapped;
        _default = defaultValue;
        _longest = map.Values.Append(defaultValue ?? "").Max(v => v.Length);
    }

    /// <summary>What becomes of a value with no mapping (when there is no <see cref="Default"/>).</summary>
    public ValuePolicy Unmapped { get; }

    /// <summary>The value an unmapped value becomes, or null.</summary>
    public string? Default => _default;

    /// <summary>The enum type the mapped values make the column (<c>type: enum(name)</c>), which the planner creates; null: the column stays text.</summary>
    public MappedEnum? Enum { get; init; }

    public override string Description =>
        $"mapped ({_map.Count} value{(_map.Count == 1 ? "" : "s")}, {(_default is null ? "unmapped: " + TextColumns.Name(Unmapped) : "default: " + _default)})";

    public override bool Accepts(PgType type) => TextColumns.Accepts(type);

    /// <summary>The mapped values may be longer than the column's or not labels of its enum: text then.</summary>
    public override PgType? ResultType(PgType planned) => TextColumns.Widened(planned, _longest);

    public override StepResult Apply(ref string value)
    {
        if (_map.TryGetValue(value, out var mapped))
        {
            value = mapped;
            return StepResult.Value;
        }

        if (_default is not null)
        {
            value = _default;
            return StepResult.Value;
        }

        return Unmapped switch
        {
            ValuePolicy.Reject => StepResult.Reject($"map: no mapping for '{value}'"),
            ValuePolicy.Null => StepResult.Null,
            _ => StepResult.Value,
        };
    }

    /// <summary>A mapped value, the default, or the value itself (its policy is <see cref="Apply"/>'s).</summary>
    public override string Text(string value) => _map.TryGetValue(value, out var mapped) ? mapped : _default ?? value;
}
