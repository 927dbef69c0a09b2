namespace Ferry.Sources;

/// <summary>
/// A reader of a table discovered without a data profile (<see cref="IProfileDeferringSource"/>) met a value
/// the profile would have looked at: the copy stops loading that table, profiles it, and loads it again.
/// Not an error the user sees.
/// </summary>
internal sealed class ProfileNeededException(string table, string reason) : Exception($"Table {table}: {reason}")
{
    /// <summary>The source table, as the source spells it.</summary>
    public string Table { get; } = table;

    public string Reason { get; } = reason;
}
