using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Ferry.Connections;
using Ferry.Internal;
using Npgsql;

namespace Ferry.Local;

/// <summary>Settings of a managed cluster.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>Server settings written to postgresql.conf at initdb (name → value).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = DefaultSettings;

    /// <summary>Where initdb and pg_ctl are; default <c>FERRY_PG_BIN</c> or the newest /usr/lib/postgresql/N/bin.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>The unprivileged user the server runs as when Ferry runs as root.</summary>
    public string ServerUser { get; init; } = "postgres";

    /// <summary>Skip fsync at initdb (throwaway clusters such as the tests').</summary>
    public bool NoSync { get; init; }

    /// <summary>Sized for bulk loads on a developer machine.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultSettings = new Dictionary<string, string>
    {
        ["max_connections"] = "200",
        ["shared_buffers"] = "256MB",
        ["maintenance_work_mem"] = "256MB",
        ["max_wal_size"] = "4GB",
        ["checkpoint_timeout"] = "15min",
    };
}

/// <summary>What <see cref="LocalCluster.GetStatusAsync"/> found.</summary>
public sealed record LocalClusterStatus(bool Initialized, bool Running, int? Port, string DataDirectory, string? Url);

/// <summary>
/// A PostgreSQL cluster Ferry manages for the user: initdb'd on first start in a directory
/// (default <c>./.ferry/postgres</c>, <c>FERRY_LOCAL_DIR</c> overrides), listening on 127.0.0.1 on a free port,
/// trust authentication for local connections only. When Ferry runs as root the server runs as the
/// unprivileged <c>postgres</c> user, which owns the data directory.
/// </summary>
public sealed class LocalCluster
{
    public const string Superuser = "postgres";
    const string PortFile = "port";

    readonly LocalClusterOptions _options;
    readonly EnvironmentReader _environment;

    public LocalCluster(string directory, LocalClusterOptions? options = null, EnvironmentReader? environment = null)
    {
        Directory = Path.GetFullPath(directory);
        _options = options ?? new LocalClusterOptions();
        _environment = environment ?? ProcessEnvironment.Reader;
    }

    /// <summary><c>FERRY_LOCAL_DIR</c>, else <c>.ferry/postgres</c> under the working directory.</summary>
    public static string DefaultDirectory(EnvironmentReader environment, string workingDirectory) =>
        environment.NonEmpty("FERRY_LOCAL_DIR") is { } configured
            ? Path.GetFullPath(configured, workingDirectory)
            : Path.Combine(workingDirectory, ".ferry", "postgres");

    /// <summary>The directory the user named.</summary>
    public string Directory { get; }

    static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    string? ServerUser => RunningAsRoot ? _options.ServerUser : null;

    /// <summary>
    /// Where the server's files live: the directory itself, or, when the server user cannot reach it (a root
    /// home directory is not searchable by others), a directory under /var/tmp derived from its path.
    /// </summary>
    string Home => File.Exists(Path.Combine(Directory, "home")) ? File.ReadAllText(Path.Combine(Directory, "home")).Trim() : Directory;

    public string DataDirectory => Path.Combine(Home, "data");

    string LogFile => Path.Combine(Home, "postgres.log");

    public async Task<LocalClusterStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var initialized = File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (!initialized)
            return new LocalClusterStatus(false, false, null, DataDirectory, null);
        var port = await RunningPortAsync(cancellationToken);
        return new LocalClusterStatus(true, port is not null, port, DataDirectory, port is { } p ? TargetFor(p).DisplayUrl : null);
    }

    /// <summary>Starts the cluster (initializing it first if needed) unless it runs already; returns its target.</summary>
    public async Task<PostgresTarget> StartAsync(CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        using var guard = await AcquireLockAsync(cancellationToken);
        if (await RunningPortAsync(cancellationToken) is { } running)
            return TargetFor(running);

        var bin = PostgresBinaries.Locate(_environment, _options.BinDirectory);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitializeAsync(bin, cancellationToken);

        for (var attempt = 0; ; attempt++)
        {
            var port = ChoosePort();
            var result = await ProcessRunner.RunAsync(
                Path.Combine(bin, "pg_ctl"),
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120", "-s", "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)}"],
                ServerUser,
                cancellationToken);
            if (result.ExitCode == 0)
            {
                await File.WriteAllTextAsync(Path.Combine(Directory, PortFile), port.ToString(CultureInfo.InvariantCulture), cancellationToken);
                return TargetFor(port);
            }

            var log = TailOfLog();
            // Another process may have taken the port between our probe and the server's bind.
            if (attempt < 3 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(Path.Combine(Directory, PortFile));
                continue;
            }

            throw new FerryException($"The local PostgreSQL cluster in {Directory} did not start: {result.Output}\n{log}".TrimEnd());
        }
    }

    /// <summary>Stops the cluster if it runs. <paramref name="immediate"/> skips the shutdown checkpoint (throwaway clusters).</summary>
    public async Task<bool> StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            return false;
        var bin = PostgresBinaries.Locate(_environment, _options.BinDirectory);
        var result = await ProcessRunner.RunAsync(
            Path.Combine(bin, "pg_ctl"),
            ["stop", "-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "120", "-s"],
            ServerUser,
            cancellationToken);
        if (result.ExitCode != 0 && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            throw new FerryException($"Could not stop the local PostgreSQL cluster in {Directory}: {result.Output}");
        return true;
    }

    /// <summary>Removes the cluster's files (it must be stopped).</summary>
    public void Delete()
    {
        var home = Home;
        if (home != Directory && System.IO.Directory.Exists(home))
            System.IO.Directory.Delete(home, recursive: true);
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }

    PostgresTarget TargetFor(int port) => new(
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = Superuser,
            Database = "postgres",
        },
        TargetOrigin.LocalCluster);

    async Task InitializeAsync(string bin, CancellationToken cancellationToken)
    {
        if (ServerUser is { } user)
            await PrepareHomeForServerUserAsync(user, cancellationToken);
        else
            System.IO.Directory.CreateDirectory(Home);

        var arguments = new List<string>
        {
            "-D", DataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions",
        };
        if (_options.NoSync)
            arguments.Add("--no-sync");
        var result = await ProcessRunner.RunAsync(Path.Combine(bin, "initdb"), arguments, ServerUser, cancellationToken);
        if (result.ExitCode != 0)
            throw new FerryException($"initdb failed for {DataDirectory}: {result.Output}");

        var conf = new StringBuilder("\n# Written by Ferry for its managed cluster.\n");
        conf.Append("listen_addresses = '127.0.0.1'\n");
        // TCP only: socket paths have a 107-byte limit that deep working directories exceed.
        conf.Append("unix_socket_directories = ''\n");
        foreach (var (name, value) in _options.Settings)
            conf.Append(CultureInfo.InvariantCulture, $"{name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'\n");
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), conf.ToString(), cancellationToken);
    }

    async Task PrepareHomeForServerUserAsync(string user, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!await CanReachAsync(user, Directory, cancellationToken))
        {
            // A parent (e.g. /root) is closed to other users: keep the server's files where it can reach them.
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Directory)))[..16];
            var home = Path.Combine("/var/tmp", "ferry-postgres-" + hash);
            System.IO.Directory.CreateDirectory(home);
            await File.WriteAllTextAsync(Path.Combine(Directory, "home"), home + "\n", cancellationToken);
        }

        var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{user}:", Home], cancellationToken: cancellationToken);
        if (chown.ExitCode != 0)
            throw new FerryException($"Cannot give {Home} to the '{user}' user the server runs as: {chown.Output}. " +
                                     "PostgreSQL refuses to run as root; install the postgresql package (it creates that user).");
    }

    static async Task<bool> CanReachAsync(string user, string directory, CancellationToken cancellationToken)
    {
        var probe = await ProcessRunner.RunAsync("test", ["-x", directory], user, cancellationToken);
        return probe.ExitCode == 0;
    }

    /// <summary>The port of the running server, from postmaster.pid, if the server answers.</summary>
    async Task<int?> RunningPortAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
            return null;
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        }
        catch (IOException)
        {
            return null;
        }

        // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
        if (lines.Length < 4 || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid) ||
            !int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port))
            return null;
        if (!IsAlive(pid))
            return null;
        return port;
    }

    internal static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    int ChoosePort()
    {
        var portFile = Path.Combine(Directory, PortFile);
        if (File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile).Trim(), CultureInfo.InvariantCulture, out var remembered) && IsFree(remembered))
            return remembered;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    string TailOfLog()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join('\n', lines.TakeLast(10));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    async Task<IDisposable> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, ".lock");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
