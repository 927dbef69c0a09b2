namespace Ferry.Schema;

/// <summary>A view as the copy will create it: the discovered <see cref="Source"/> view, under its target schema and name.</summary>
public sealed class PlannedView
{
    internal PlannedView(ViewModel source)
    {
        Source = source;
        TargetSchema = source.TargetSchema;
        TargetName = source.TargetName;
    }

    /// <summary>The view as the source's discovery described it.</summary>
    public ViewModel Source { get; }

    public string SourceName => Source.SourceName;

    /// <summary>Unquoted, as the catalog has it.</summary>
    public string TargetSchema { get; internal set; }

    /// <summary>Unquoted (the DDL writer quotes where needed), cut to PostgreSQL's 63 bytes.</summary>
    public string TargetName { get; internal set; }

    /// <summary><c>schema.name</c>, unquoted, for people.</summary>
    public string DisplayName => TargetSchema + "." + TargetName;

    /// <summary><c>schema.name</c>, quoted where needed, for SQL.</summary>
    public string QualifiedName => Identifiers.Qualify(TargetSchema, TargetName);

    /// <summary>The <c>SELECT …</c> for PostgreSQL, or null when it could not be translated (the view is then not created).</summary>
    public string? TargetSql => Source.TargetSql;
}
