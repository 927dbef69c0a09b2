namespace Ferry.Backup;

/// <summary>
/// A column as the catalog described it: type (<c>format_type</c>), collation when not its type's, NOT NULL, default,
/// identity (<c>always</c> or <c>by default</c>, with its sequence's options) or generation expression.
/// </summary>
public sealed record ColumnDefinition
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public string? Collation { get; init; }

    public bool NotNull { get; init; }

    public string? Default { get; init; }

    /// <summary><c>always</c> or <c>by default</c>; null for a column that is not an identity.</summary>
    public string? Identity { get; init; }

    /// <summary>The identity sequence's options (<c>INCREMENT BY 1 MINVALUE 1 …</c>), without its name.</summary>
    public string? IdentityOptions { get; init; }

    /// <summary>The identity sequence, schema-qualified and quoted.</summary>
    public string? IdentitySequence { get; init; }

    /// <summary>The expression of a <c>GENERATED ALWAYS AS (…) STORED</c> column.</summary>
    public string? Generated { get; init; }
}
