namespace Ferry;

/// <summary>
/// Reads an environment variable. Library entry points take one so that callers (and tests) decide what
/// environment Ferry sees; <see cref="ProcessEnvironment"/> is the process's own.
/// </summary>
public delegate string? EnvironmentReader(string name);

public static class ProcessEnvironment
{
    public static readonly EnvironmentReader Reader = Environment.GetEnvironmentVariable;

    internal static string? NonEmpty(this EnvironmentReader env, string name)
    {
        var value = env(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
