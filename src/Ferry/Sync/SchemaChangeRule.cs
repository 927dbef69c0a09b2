namespace Ferry.Sync;

/// <summary>What <c>ferry sync</c> does when a source table's columns no longer match its target's (<c>--on-schema-change</c>).</summary>
public enum SchemaChangeRule
{
    /// <summary>A new source column is added to the target (nullable, with a note); a dropped or retyped one stops the table.</summary>
    Add,

    /// <summary>Any change stops the table.</summary>
    Fail,
}
