using Ferry.Project;

namespace Ferry.Transforms.Spec;

/// <summary>
/// A transform in a file of its own (<c>ferry copy --transform FILE</c>). Its top level is either <c>transform:</c>
/// (the section as <c>ferry.yml</c> writes it; no other key beside it) or directly the tables. A table named
/// <c>transform</c> is written under <c>transform:</c>.
/// </summary>
public static class TransformFile
{
    /// <summary>Reads and checks the file; every problem names the file, the line and the key.</summary>
    public static TransformSpec Load(string path) =>
        TransformReader.Read(YamlMap.SectionFile(path, "transform", "Transform file", "write the tables to transform (docs/transform.md)"));
}
