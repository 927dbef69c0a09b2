using Ferry.Connections;
using Npgsql;

namespace Ferry.Backup.Internal.PgTools;

/// <summary>pg_dump and pg_restore for one target: tools new enough for its server, connected through their environment.</summary>
internal sealed class PgClient
{
    readonly Dictionary<string, string?> _environment;
    readonly string? _password;

    PgClient(PgClientTools tools, Dictionary<string, string?> environment, string? password)
    {
        Tools = tools;
        _environment = environment;
        _password = password;
    }

    public PgClientTools Tools { get; }

    /// <summary>
    /// The tools for <paramref name="target"/>'s server (asked on <paramref name="connection"/>), looked for in
    /// <paramref name="directories"/> (default <see cref="PgClientTools.DefaultDirectories"/>); refused before anything is written.
    /// </summary>
    public static async Task<PgClient> ForAsync(
        PostgresTarget target, NpgsqlConnection connection, IReadOnlyList<string>? directories, string purpose, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int", connection);
        var serverVersion = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        var tools = await PgClientTools.LocateAsync(
            serverVersion, directories ?? PgClientTools.DefaultDirectories(ProcessEnvironment.Reader), purpose, cancellationToken);
        var inherited = Environment.GetEnvironmentVariables().Keys.Cast<object>().Select(k => (string)k);
        return new PgClient(tools, PgToolEnvironment.For(target.ConnectionString, inherited), target.Password);
    }

    public Task DumpAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        PgToolProcess.RunAsync(Tools.PgDump, arguments, _environment, _password, null, cancellationToken);

    public Task RestoreAsync(IReadOnlyList<string> arguments, Func<Stream, CancellationToken, Task>? readOutput, CancellationToken cancellationToken) =>
        PgToolProcess.RunAsync(Tools.PgRestore, arguments, _environment, _password, readOutput, cancellationToken);
}
