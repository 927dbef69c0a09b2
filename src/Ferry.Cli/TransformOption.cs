using System.CommandLine;
using Ferry.Transforms.Spec;

namespace Ferry.Cli;

/// <summary><c>--transform FILE</c> of copy and verify: the file's <c>transform:</c> section, else the project file's (as the environment sees it).</summary>
internal sealed class TransformOption
{
    public Option<string?> Option { get; } = new("--transform")
    {
        Description = "Renames, drops and column steps (hash, normalize, validate, map) from FILE (default: the transform section of ferry.yml)",
        HelpName = "FILE",
    };

    /// <summary>The transform this run applies; empty when neither the option nor the project file gives one.</summary>
    public TransformSpec Spec(Invocation invocation) =>
        invocation.ParseResult.GetValue(Option) is { } path
            ? TransformFile.Load(invocation.Host.ResolvePath(path))
            : invocation.Project.Environment?.Transform ?? invocation.Project.Project?.Transform ?? TransformSpec.Empty;
}
