namespace Ferry.Migrations;

/// <summary>How a migration statement touches an existing table.</summary>
public enum TableTouchKind
{
    /// <summary><c>ALTER TABLE</c> with an action that keeps its rows and columns (add a column, change a type, a constraint…).</summary>
    Alter,

    /// <summary><c>ALTER TABLE x RENAME TO y</c>.</summary>
    Rename,

    /// <summary><c>ALTER TABLE x RENAME [COLUMN] a TO b</c>.</summary>
    RenameColumn,

    /// <summary><c>ALTER TABLE x DROP [COLUMN] c</c>: the column's values are gone.</summary>
    DropColumn,

    /// <summary><c>ALTER TABLE x SET SCHEMA s</c>.</summary>
    SetSchema,

    /// <summary><c>DROP TABLE</c>.</summary>
    Drop,

    /// <summary><c>TRUNCATE</c>.</summary>
    Truncate,

    /// <summary><c>UPDATE</c> (also inside a <c>WITH</c>).</summary>
    Update,

    /// <summary><c>DELETE FROM</c> (also inside a <c>WITH</c>).</summary>
    Delete,

    /// <summary><c>INSERT INTO</c> (also inside a <c>WITH</c>).</summary>
    Insert,

    /// <summary><c>MERGE INTO</c>.</summary>
    Merge,

    /// <summary><c>COPY x FROM</c> a file or program on the server.</summary>
    CopyFrom,

    /// <summary><c>CREATE INDEX … ON x</c>.</summary>
    CreateIndex,
}
