namespace Ferry.Backup;

/// <summary>
/// A sequence a table's column uses: owned by it (<c>serial</c>, <see cref="Owned"/>), its identity's
/// (<see cref="Identity"/>), or only named in its default's <c>nextval</c>.
/// </summary>
public sealed record OwnedSequence
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    /// <summary>The sequence, schema-qualified and quoted (as a default's <c>nextval('…'::regclass)</c> names it).</summary>
    public required string Qualified { get; init; }

    public string? Column { get; init; }

    public bool Owned { get; init; }

    public bool Identity { get; init; }
}
