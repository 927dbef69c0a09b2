namespace Ferry.Sources.Sqlite;

/// <summary>How one column's values are actually stored: counts per SQLite storage class, and a few extremes.</summary>
internal sealed class SqliteColumnProfile
{
    public long Integers { get; init; }

    public long Reals { get; init; }

    public long Texts { get; init; }

    public long Blobs { get; init; }

    /// <summary>Longest TEXT value, in characters.</summary>
    public long? MaxTextLength { get; init; }

    /// <summary>One of the TEXT values (the smallest), for notes.</summary>
    public string? SampleText { get; init; }

    public long? MinInteger { get; init; }

    public long? MaxInteger { get; init; }

    /// <summary>Booleans: TEXT values spelled as booleans. Timestamps: TEXT values with a zone ('Z', '+02:00'), among the first rows.</summary>
    public long SpecialTexts { get; set; }

    public long NonNull => Integers + Reals + Texts + Blobs;
}

/// <summary>A table's profile: its row count (exact where a decision weighs values against it, else the rowid span), rowid span and one <see cref="SqliteColumnProfile"/> per column.</summary>
internal sealed record SqliteTableProfile(long Rows, long? MinRowid, long? MaxRowid, SqliteColumnProfile[] Columns);
