namespace Ferry.Schema;

/// <summary>What a <see cref="ServerObject"/> is, which decides when the copy makes it.</summary>
public enum ServerObjectKind
{
    /// <summary>CREATE EXTENSION IF NOT EXISTS, first of all (after the target was asked whether it can).</summary>
    Extension,

    /// <summary>A collation (libc or ICU): before the types and tables that use it.</summary>
    Collation,

    /// <summary>An enum, domain, composite or range type: before the tables, in dependency order with functions.</summary>
    Type,

    /// <summary>A function or procedure: before the tables (and the types that call it), in dependency order.</summary>
    Function,

    /// <summary>A function or procedure whose signature uses a table's or view's row type (<c>RETURNS SETOF customer</c>): after the views.</summary>
    FunctionOnRelations,

    /// <summary>A sequence with its value: before the tables, whose defaults name it.</summary>
    Sequence,

    /// <summary>ALTER SEQUENCE … OWNED BY a column: once its table exists.</summary>
    SequenceOwner,

    /// <summary>A trigger: after the load, so that it does not fire on the copied rows.</summary>
    Trigger,
}
