using System.CommandLine;

namespace Ferry.Cli;

/// <summary>Options that several commands share, defined once.</summary>
internal static class SharedOptions
{
    public static readonly Option<string?> Database = new("--database")
    {
        Description = "Target PostgreSQL: a postgres:// URL, a libpq keyword string (host=… dbname=…) or an Npgsql connection string (default: DATABASE_URL, POSTGRES_*, PG*, else the managed local cluster)",
        Recursive = true,
        HelpName = "URL",
    };

    public static readonly Option<string?> Env = new("--env")
    {
        Description = "The project file's environment to run against (default: FERRY_ENV, else its default_environment)",
        Recursive = true,
        HelpName = "NAME",
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "The project file (default: FERRY_CONFIG, else the nearest ferry.yml from this folder up)",
        Recursive = true,
        HelpName = "FILE",
    };

    public static readonly Option<bool> Yes = new("--yes")
    {
        Description = "Confirm a command that destroys or rewrites data on a protected environment (needed without a terminal)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document on stdout at the end; progress and logs go to stderr",
        Recursive = true,
    };

    /// <summary><c>--tables a,b</c> as names; null when not given. Given but naming nothing (<c>--tables ''</c>) is a usage error, not "all tables".</summary>
    public static string[]? TableList(string? value)
    {
        if (value is null)
            return null;
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length > 0 ? names : throw new FerryException($"--tables '{value}' names no table: give table names separated by commas, or leave --tables out to take every table.");
    }

    /// <summary><c>--report FILE</c> of a journaled command: the run as one self-contained HTML file (docs/report.md).</summary>
    public static Option<string?> Report() => new("--report")
    {
        Description = "Write the run as one self-contained HTML report to FILE when it ends (as ferry report does)",
        HelpName = "FILE",
    };

    /// <summary><c>--metrics FILE</c> of a journaled command: its figures for Prometheus' textfile collector (docs/metrics.md).</summary>
    public static Option<string?> Metrics() => new("--metrics")
    {
        Description = "Write the run's figures to FILE in Prometheus' text format, atomically (for node_exporter's textfile collector; name it *.prom)",
        HelpName = "FILE",
    };

    /// <summary><c>--to</c>, an alias of <c>--database</c> for commands that move data.</summary>
    public static Option<string?> To() => new("--to")
    {
        Description = "Target PostgreSQL (same as --database)",
        HelpName = "URL",
    };
}
