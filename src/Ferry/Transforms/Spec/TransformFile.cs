using Ferry.Project;
using YamlDotNet.RepresentationModel;

namespace Ferry.Transforms.Spec;

/// <summary>
/// A transform in a file of its own (<c>ferry copy --transform FILE</c>). Its top level is either <c>transform:</c>
/// (the section as <c>ferry.yml</c> writes it; no other key beside it) or directly the tables. A table named
/// <c>transform</c> is written under <c>transform:</c>.
/// </summary>
public static class TransformFile
{
    /// <summary>Reads and checks the file; every problem names the file, the line and the key.</summary>
    public static TransformSpec Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FerryException($"Transform file {full} does not exist.", FailureKind.Configuration);
        if (YamlMap.ReadDocument(full) is not { } root || root is YamlScalarNode { Value: null or "" })
            throw new FerryException($"{full} is empty: write the tables to transform (docs/transform.md).", FailureKind.Configuration);
        if (root is YamlMappingNode mapping && mapping.Children.Keys.Any(k => k is YamlScalarNode { Value: "transform" }))
            return TransformReader.Read(YamlMap.Of(root, full, "", ["transform"]).Map("transform", []));
        return TransformReader.Read(YamlMap.Of(root, full, "", []));
    }
}
