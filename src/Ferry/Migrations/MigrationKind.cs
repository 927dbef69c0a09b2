namespace Ferry.Migrations;

/// <summary>What a migration (or history row) is.</summary>
public enum MigrationKind
{
    /// <summary>Applied once, in version order: <c>001_name.up.sql</c>, <c>V1__name.sql</c>.</summary>
    Versioned,

    /// <summary><c>R__name.sql</c>: re-applied, after the versioned ones, whenever its checksum changes.</summary>
    Repeatable,

    /// <summary>A <c>ferry migrate baseline</c> marker: every version up to it counts as applied.</summary>
    Baseline,
}
