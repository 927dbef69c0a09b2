namespace Ferry.Backup;

/// <summary>A sequence a backed-up table uses (serial, identity or a default's <c>nextval</c>) and where it stood.</summary>
public sealed record SequenceState
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    public required long LastValue { get; init; }

    public required bool IsCalled { get; init; }

    /// <summary>The <c>CREATE SEQUENCE</c> text that recreates it (for a serial's sequence when its table is recreated).</summary>
    public required string Definition { get; init; }
}
