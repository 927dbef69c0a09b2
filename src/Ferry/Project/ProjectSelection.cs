namespace Ferry.Project;

/// <summary>
/// Which project file and environment a command runs with: the file from <c>--config</c>, else <c>FERRY_CONFIG</c>,
/// else the nearest <c>ferry.yml</c> from the working folder up; the environment from <c>--env</c>, else
/// <c>FERRY_ENV</c>, else the file's <c>default_environment</c>.
/// </summary>
public sealed record ProjectSelection(FerryProject? Project, ProjectEnvironment? Environment)
{
    public static readonly ProjectSelection None = new(null, null);

    public static ProjectSelection Resolve(string? config, string? environmentName, EnvironmentReader environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configured = config ?? environment.NonEmpty("FERRY_CONFIG");
        var path = configured is null ? FerryProject.Find(workingDirectory) : Path.GetFullPath(configured, workingDirectory);
        var name = environmentName ?? environment.NonEmpty("FERRY_ENV");
        if (path is null)
        {
            return name is null
                ? None
                : throw new FerryException(
                    $"{(environmentName is null ? "FERRY_ENV" : "--env")} {name}: no {FerryProject.FileName} in {workingDirectory} or a folder above it to take the environment from. Give the file with --config FILE (or FERRY_CONFIG), or run from the project's folder.",
                    FailureKind.Configuration);
        }

        if (configured is not null && !File.Exists(path))
            throw new FerryException($"{(config is null ? "FERRY_CONFIG" : "--config")} {configured}: the project file {path} does not exist.", FailureKind.Configuration);
        var project = FerryProject.Load(path);
        return new ProjectSelection(project, project.Environment(name));
    }
}
