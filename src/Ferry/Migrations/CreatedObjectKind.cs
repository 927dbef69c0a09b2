namespace Ferry.Migrations;

/// <summary>What a <c>CREATE</c> statement of a migration makes.</summary>
public enum CreatedObjectKind
{
    Table,
    View,
    MaterializedView,
    Type,
}
