namespace Ferry.Copy;

/// <summary>
/// What a copy run created in the target, each as <c>schema.name</c> (schemas by name): objects that were not there when
/// the run began. A rollback of the run drops them. A resumed run lists only what it created itself, not what the run
/// it continues had made; <c>--replace</c>'s drops and creations are <see cref="CopyResult.Replaced"/>, not these.
/// </summary>
public sealed class CreatedByCopy
{
    public List<string> Schemas { get; } = [];

    public List<string> Tables { get; } = [];

    /// <summary>Views, materialized views and compatibility views (<c>--compat-views</c>).</summary>
    public List<string> Views { get; } = [];

    /// <summary>Enum types (not a transform's enum the target already had, which is reused) and a PostgreSQL source's types.</summary>
    public List<string> Types { get; } = [];

    /// <summary>The relations the target had when the run began: a view among them that the run makes again is not new.</summary>
    internal HashSet<string> RelationsBefore { get; } = new(StringComparer.Ordinal);

    internal void AddView(string name)
    {
        if (!RelationsBefore.Contains(name) && !Views.Contains(name))
            Views.Add(name);
    }

    /// <summary>Forgets what an attempt that did not commit recorded.</summary>
    internal void Clear()
    {
        Schemas.Clear();
        Tables.Clear();
        Views.Clear();
        Types.Clear();
        RelationsBefore.Clear();
    }
}
