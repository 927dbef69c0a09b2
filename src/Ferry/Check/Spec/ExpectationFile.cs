using Ferry.Project;

namespace Ferry.Check.Spec;

/// <summary>
/// Expectations in a file of their own (<c>ferry check --expect FILE</c>). Its top level is either <c>expect:</c>
/// (the section as <c>ferry.yml</c> writes it; no other key beside it) or directly the tables (and <c>before:</c> /
/// <c>after:</c> groups). A table named <c>expect</c> is written under <c>expect:</c>.
/// </summary>
public static class ExpectationFile
{
    /// <summary>Reads and checks the file; every problem names the file, the line and the key.</summary>
    public static ExpectationSpec Load(string path) =>
        ExpectationReader.Read(YamlMap.SectionFile(path, "expect", "Expectations file", "write the tables and what to expect of them (docs/check.md)"));
}
