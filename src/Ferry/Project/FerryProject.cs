using Ferry.Check.Spec;
using Ferry.Transforms.Spec;
using YamlDotNet.RepresentationModel;

namespace Ferry.Project;

/// <summary>
/// The project file, <c>ferry.yml</c>: its environments, and the sections commands take their settings from. Found in
/// a folder or the nearest parent (as git finds <c>.git</c>); its folder is the project root, which relative paths in it
/// are relative to. Unknown keys are refused with their line and the nearest known key; a password written in it is
/// refused unless <c>allow_plaintext_secrets: true</c>; values may read <c>${VAR}</c>, <c>${VAR:-default}</c> and
/// <c>${file:/path}</c>, resolved only when used.
/// </summary>
public sealed class FerryProject
{
    public const string FileName = "ferry.yml";

    static readonly string[] Keys = ["default_environment", "environments", "migrations", "copy", "transform", "expect", "allow_plaintext_secrets"];

    FerryProject(string path, string? defaultEnvironment, IReadOnlyDictionary<string, ProjectEnvironment> environments, MigrationsSettings migrations, CopySettings copy, TransformSpec transform, ExpectationSpec expect)
    {
        Expect = expect;
        Path = path;
        Root = System.IO.Path.GetDirectoryName(path)!;
        DefaultEnvironment = defaultEnvironment;
        Environments = environments;
        Migrations = migrations;
        Copy = copy;
        Transform = transform;
    }

    /// <summary>The file, absolute.</summary>
    public string Path { get; }

    /// <summary>The project root: the file's folder.</summary>
    public string Root { get; }

    public string? DefaultEnvironment { get; }

    /// <summary>The environments, in the file's order.</summary>
    public IReadOnlyDictionary<string, ProjectEnvironment> Environments { get; }

    /// <summary>The file's <c>migrations</c> section (an environment's own overrides are in <see cref="ProjectEnvironment.Migrations"/>).</summary>
    public MigrationsSettings Migrations { get; }

    public CopySettings Copy { get; }

    /// <summary>The file's <c>transform</c> section (an environment's, with its own tables, is <see cref="ProjectEnvironment.Transform"/>).</summary>
    public TransformSpec Transform { get; }

    /// <summary>The file's <c>expect</c> section (an environment's, with its own tables, is <see cref="ProjectEnvironment.Expect"/>).</summary>
    public ExpectationSpec Expect { get; }

    /// <summary>The nearest <c>ferry.yml</c> in <paramref name="directory"/> or a parent; null when there is none.</summary>
    public static string? Find(string directory)
    {
        for (var folder = new DirectoryInfo(System.IO.Path.GetFullPath(directory)); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, FileName);
            if (File.Exists(candidate))
                return candidate;
        }

        return null;
    }

    /// <summary>Reads and checks a project file; its references are read later, when a value is used.</summary>
    public static FerryProject Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FerryException($"Project file {full} does not exist.", FailureKind.Configuration);
        if (YamlMap.ReadDocument(full) is not { } document)
            return new FerryProject(full, null, new Dictionary<string, ProjectEnvironment>(), new MigrationsSettings(), new CopySettings(), TransformSpec.Empty, ExpectationSpec.Empty);
        var root = YamlMap.Of(document, full, "", Keys);
        var allowSecrets = root.Boolean("allow_plaintext_secrets") ?? false;
        var migrations = MigrationsSettings.Read(root.Map("migrations", MigrationsSettings.Keys));
        var copy = CopySettings.Read(root.Map("copy", CopySettings.Keys));
        var transform = TransformReader.Read(root.Map("transform", []));
        var expect = ExpectationReader.Read(root.Map("expect", []));
        var environments = new Dictionary<string, ProjectEnvironment>(StringComparer.Ordinal);
        if (root.Map("environments", []) is { } map)
        {
            foreach (var (name, node, _) in map.Entries)
            {
                var environment = node is YamlScalarNode { Value: null or "" } ? null : YamlMap.Of(node, full, map.Path(name), ProjectEnvironment.Keys);
                var database = environment?.Text("database");
                if (database is not null && !allowSecrets && ProjectSecrets.HoldsLiteralPassword(database.Text))
                {
                    throw new FerryException(
                        $"{database.Origin} holds a password written in the file. Read it from the environment instead (postgres://app:${{DB_PASSWORD}}@host/db, or the whole URL from ${{DATABASE_URL}}), " +
                        "or set allow_plaintext_secrets: true for a file that never leaves this machine.", FailureKind.Configuration);
                }

                environments[name] = new ProjectEnvironment(
                    name,
                    database,
                    environment?.Boolean("protected") ?? false,
                    migrations.With(MigrationsSettings.Read(environment?.Map("migrations", MigrationsSettings.Keys))),
                    copy.With(CopySettings.Read(environment?.Map("copy", CopySettings.Keys))))
                {
                    Transform = transform.With(TransformReader.Read(environment?.Map("transform", []))),
                    Expect = expect.With(ExpectationReader.Read(environment?.Map("expect", []))),
                };
            }
        }

        var defaultEnvironment = root.Text("default_environment");
        if (defaultEnvironment is not null && !environments.ContainsKey(defaultEnvironment.Text))
            throw new FerryException($"{defaultEnvironment.Origin}: no environment is named '{defaultEnvironment.Text}'. The file's environments are: {string.Join(", ", environments.Keys)}.", FailureKind.Configuration);
        return new FerryProject(full, defaultEnvironment?.Text, environments, migrations, copy, transform, expect);
    }

    /// <summary>
    /// The environment selected: <paramref name="name"/> (<c>--env</c>, <c>FERRY_ENV</c>), else the file's default; null
    /// when neither names one. An unknown name is refused, naming the file's environments.
    /// </summary>
    public ProjectEnvironment? Environment(string? name)
    {
        name ??= DefaultEnvironment;
        if (name is null)
            return null;
        return Environments.TryGetValue(name, out var environment)
            ? environment
            : throw new FerryException($"{Path} has no environment '{name}'. Its environments are: {(Environments.Count == 0 ? "none" : string.Join(", ", Environments.Keys))}.", FailureKind.Configuration);
    }

    /// <summary>A path the file gives, absolute: relative ones are relative to the project root.</summary>
    public string ResolvePath(string path) => System.IO.Path.GetFullPath(path, Root);
}
