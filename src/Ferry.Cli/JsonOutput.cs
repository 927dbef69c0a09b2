using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ferry.Cli.Commands;
using Ferry.Connections;
using Ferry.Migrations;

namespace Ferry.Cli;

/// <summary>
/// The <c>--json</c> documents: snake_case names, enums as snake_case strings. Serialized by code generated at
/// build time (<see cref="JsonDocuments"/>), not by reflection: the release is compiled ahead of time, where
/// reflection-based serialization is unavailable. A document type missing from <see cref="JsonDocuments"/> fails
/// here, in every build, not only in the release.
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters =
        {
            new JsonStringEnumConverter<MigrationKind>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<MigrationState>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<TargetOrigin>(JsonNamingPolicy.SnakeCaseLower),
        },
        TypeInfoResolver = JsonDocuments.Default,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));
}

/// <summary>Every type written as a <c>--json</c> document, and the types of the values in verify's key maps.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MigrateCommand.InitDocument))]
[JsonSerializable(typeof(ServerReport))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(SyncCommand.SyncDocument))]
[JsonSerializable(typeof(SyncStatusCommand.SyncStatusDocument))]
[JsonSerializable(typeof(RunsCommand.RunsDocument))]
[JsonSerializable(typeof(RunsCommand.RunShowDocument))]
[JsonSerializable(typeof(ReportCommand.ReportDocument))]
[JsonSerializable(typeof(MigrateCommand.FilesDocument))]
[JsonSerializable(typeof(MigrateCommand.StatusDocument))]
[JsonSerializable(typeof(MigrateCommand.ValidateDocument))]
[JsonSerializable(typeof(MigrateCommand.RepairDocument))]
[JsonSerializable(typeof(MigrateCommand.BaselineDocument))]
[JsonSerializable(typeof(MigrateCommand.RunDocument))]
[JsonSerializable(typeof(MigrateCommand.FailedRunDocument))]
[JsonSerializable(typeof(LocalCommand.UrlDocument))]
[JsonSerializable(typeof(LocalCommand.ClusterDocument))]
[JsonSerializable(typeof(CopyCommand.CopyDocument))]
[JsonSerializable(typeof(CopyCommand.PlanDocument))]
[JsonSerializable(typeof(VerifyCommand.VerifyDocument))]
[JsonSerializable(typeof(CheckCommand.CheckDocument))]
[JsonSerializable(typeof(RollbackCommand.RollbackDocument))]
[JsonSerializable(typeof(InitCommand.ProjectInitDocument))]
[JsonSerializable(typeof(EnvCommand.EnvListDocument))]
[JsonSerializable(typeof(EnvCommand.EnvShowDocument))]
[JsonSerializable(typeof(BackupCommand.BackupDocument))]
[JsonSerializable(typeof(RestoreCommand.RestoreDocument))]
[JsonSerializable(typeof(BackupsCommand.BackupsDocument))]
[JsonSerializable(typeof(BackupsCommand.DroppedDocument))]
[JsonSerializable(typeof(BackupsPruneCommand.PruneDocument))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class JsonDocuments : JsonSerializerContext;
