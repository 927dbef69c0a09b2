namespace Ferry.Backup;

/// <summary>An object of a covered schema when the backup was taken; kind is table, view, matview, sequence, type or function.</summary>
public sealed record InventoryObject(string Schema, string Name, string Kind);
