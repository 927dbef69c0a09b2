using System.CommandLine;
using Ferry.Check.Spec;

namespace Ferry.Cli;

/// <summary><c>--expect FILE</c> of check, copy and migrate up: the file's expectations, else the project file's <c>expect:</c> (as the environment sees it).</summary>
internal sealed class ExpectOption(string description = "Check the before: expectations from FILE first (a failure stops the run) and the after: ones at the end (default: the expect section of ferry.yml)")
{
    public Option<string?> Option { get; } = new("--expect") { Description = description, HelpName = "FILE" };

    /// <summary>The expectations this run gates on; empty when neither the option nor the project file gives any.</summary>
    public ExpectationSpec Spec(Invocation invocation) =>
        invocation.ParseResult.GetValue(Option) is { } path
            ? ExpectationFile.Load(invocation.Host.ResolvePath(path))
            : invocation.Project.Environment?.Expect ?? invocation.Project.Project?.Expect ?? ExpectationSpec.Empty;
}
