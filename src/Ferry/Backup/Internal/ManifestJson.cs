using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Backup.Internal;

/// <summary>The manifest as JSON (snake_case), by code generated at build time: the release is compiled ahead of time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext
{
    public static string Write(BackupManifest manifest) => JsonSerializer.Serialize(manifest, Default.BackupManifest);

    public static BackupManifest Read(string json, string where) =>
        JsonSerializer.Deserialize(json, Default.BackupManifest) ?? throw new FerryException($"{where} holds no backup manifest.");
}
