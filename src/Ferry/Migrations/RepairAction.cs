namespace Ferry.Migrations;

/// <summary>One change <c>repair</c> made to the history table.</summary>
public sealed record RepairAction(string? Version, string Name, string Action);
