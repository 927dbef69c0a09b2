namespace Ferry.Project;

/// <summary>The project file's <c>copy</c> section: what <c>ferry copy</c> takes when the command line does not say.</summary>
public sealed record CopySettings(ProjectValue? Source = null, ProjectValue? Schema = null, ProjectValue? Names = null, ProjectValue? Jobs = null)
{
    /// <summary>The number of jobs (checked when the file was read).</summary>
    public int? JobCount => Jobs is null ? null : int.Parse(Jobs.Text, System.Globalization.CultureInfo.InvariantCulture);

    internal static readonly string[] Keys = ["source", "schema", "names", "jobs"];

    internal static CopySettings Read(YamlMap? map)
    {
        if (map is null)
            return new CopySettings();
        if (map.Text("names") is { Text: not ("lower" or "preserve" or "snake") } names)
            throw map.Problem(map.Node("names")!, $"{names.Key} must be lower, preserve or snake, not '{names.Text}'.");
        _ = map.Count("jobs");
        return new CopySettings(map.Text("source"), map.Text("schema"), map.Text("names"), map.Text("jobs"));
    }

    internal CopySettings With(CopySettings over) =>
        new(over.Source ?? Source, over.Schema ?? Schema, over.Names ?? Names, over.Jobs ?? Jobs);

    internal IEnumerable<ProjectValue?> Values => [Source, Schema, Names, Jobs];
}
