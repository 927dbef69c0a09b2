using Ferry.Backup.Internal.PgTools;
using Ferry.Connections;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Backup.Internal.Files;

/// <summary>
/// Backups kept as <c>pg_dump -Fc</c> archives (<c>ferry backup --file PATH</c>). The dump and the tables' fingerprints see
/// one snapshot, exported by a transaction held open until pg_dump ends; the manifest goes beside the archive and in
/// <c>ferry.backups</c>. A restore streams each table's rows out of the archive through pg_restore into a temporary table,
/// then puts the tables back exactly as an in-database restore does, in one transaction.
/// </summary>
internal sealed class FileStore(IReadOnlyList<string>? toolDirectories = null) : IBackupStore
{
    public async Task<BackupManifest> CreateAsync(PostgresTarget target, BackupPlan plan, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var files = ArchiveFiles.ForNew(plan.Request.File!);
        PgClient client;
        await using (var connection = await target.OpenAsync(cancellationToken))
            client = await PgClient.ForAsync(target, connection, toolDirectories, "Cannot back up to a file", cancellationToken);
        // Held open until pg_dump ends: the snapshot it and the fingerprints import lives as long as its transaction.
        await using var snapshot = await BackupSnapshot.TakeAsync(target, plan, "nothing was written", cancellationToken);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            progress?.Report($"pg_dump {client.Tools.Version} ({client.Tools.Directory}) → {files.Archive}");
            var dump = client.DumpAsync(DumpArguments(plan, snapshot.Id, files.Partial), failed.Token);
            var fingerprints = FingerprintAsync(snapshot, plan.Request.Jobs, progress, failed.Token);
            if (await Task.WhenAny(dump, fingerprints) is { IsCompletedSuccessfully: false } first)
            {
                // One failed: stop the other, and report the failure that came first.
                await failed.CancelAsync();
                await Task.WhenAll(dump, fingerprints).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await first;
            }

            var tables = await fingerprints;
            await dump;
            await snapshot.CommitAsync(cancellationToken);
            File.Move(files.Partial, files.Archive);
            var manifest = new BackupManifest
            {
                Name = plan.Name,
                Kind = BackupManifest.FileKind,
                CreatedAt = plan.CreatedAt,
                RunId = plan.Request.RunId,
                Reason = plan.Request.Reason,
                File = files.Archive,
                SizeBytes = new FileInfo(files.Archive).Length,
                Tables = tables,
                Sequences = snapshot.Sequences,
                Inventory = snapshot.Inventory,
            };
            Ferry.Internal.AtomicFile.Write(files.Manifest, "backup manifest", "backup.dump" + ArchiveFiles.ManifestSuffix, FailureKind.Failed,
                stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(ManifestJson.Write(manifest))));
            return manifest;
        }
        catch
        {
            files.Delete();
            throw;
        }
    }

    /// <summary>pg_dump's arguments: a custom-format archive of exactly the plan's tables (their indexes, constraints, triggers, sequences come along), in UTF8.</summary>
    static List<string> DumpArguments(BackupPlan plan, string snapshot, string file)
    {
        // Without a --table, pg_dump would dump the whole database, Ferry's own schema too.
        if (plan.Tables.Count == 0)
            throw new FerryException("a file backup needs at least one table; nothing was written.");
        List<string> arguments = ["--format=custom", "--encoding=UTF8", "--snapshot=" + snapshot, "--file=" + file];
        // A pattern in double quotes is taken literally (a doubled quote is one quote), so every name means itself.
        arguments.AddRange(plan.Tables.Select(t => $"--table=\"{t.Schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".\"{t.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
        return arguments;
    }

    /// <summary>Each table's rows and fingerprint under the snapshot, over up to <paramref name="jobs"/> connections at once.</summary>
    static async Task<BackedUpTable[]> FingerprintAsync(BackupSnapshot snapshot, int jobs, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var definitions = snapshot.Definitions;
        var tables = new BackedUpTable[definitions.Count];
        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, definitions.Count),
            new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var definition = definitions[i];
                await using var connection = await snapshot.OpenAsync(token);
                var (rows, fingerprint) = await TableFingerprint.ComputeAsync(connection, snapshot.OpenAsync, definition.Schema, definition.Name, token);
                tables[i] = new BackedUpTable { Schema = definition.Schema, Name = definition.Name, Rows = rows, Fingerprint = fingerprint, Definition = definition };
                progress?.Report($"fingerprinted {definition.DisplayName} ({rows:N0} rows) [{Interlocked.Increment(ref done)}/{tables.Length}]");
            });
        return tables;
    }

    public async Task RestoreTablesAsync(
        PostgresTarget target, BackupManifest manifest, IReadOnlyList<BackedUpTable> tables, string? into,
        IDictionary<string, string> actions, IList<string> notes, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var archive = manifest.File!;
        if (!File.Exists(archive))
            throw new FerryException($"backup {manifest.Name}'s file {archive} is not there (moved, or on another machine?): it cannot be restored. Nothing was changed.", FailureKind.Failed);
        await using var connection = await target.OpenAsync(cancellationToken);
        var client = await PgClient.ForAsync(target, connection, toolDirectories, $"Cannot restore {manifest.Name} from {archive}", cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, "SET LOCAL search_path = pg_catalog", cancellationToken);
        var builder = new TableBuilder(connection, manifest, notes);
        var staged = new Dictionary<BackedUpTable, string>();
        foreach (var table in tables)
        {
            await builder.EnsureTypesAsync(table.Definition, cancellationToken);
            var stage = "pg_temp." + Identifiers.QuoteAlways("ferry_restore_" + staged.Count);
            var columns = table.Definition.WrittenColumns.Select(c =>
                Identifiers.QuoteAlways(c.Name) + " " + c.Type + (c.Collation is null ? "" : " COLLATE " + c.Collation));
            await Sql.ExecuteAsync(connection, $"CREATE TEMPORARY TABLE {stage} ({string.Join(", ", columns)}) ON COMMIT DROP", cancellationToken);
            var rows = await ArchiveData.LoadAsync(client, archive, table.Schema, table.Name, connection, stage, cancellationToken);
            progress?.Report($"read {table.DisplayName} from {Path.GetFileName(archive)} ({rows:N0} rows)");
            staged[table] = stage;
        }

        var source = (BackedUpTable t) => staged[t];
        if (into is null)
            await new InPlaceRestore(connection, manifest, tables, source, actions, notes, progress).RunAsync(cancellationToken);
        else
            await new IntoRestore(connection, manifest, tables, source, into, actions, notes, progress).RunAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task DropAsync(PostgresTarget target, BackupManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.File is { } file)
            new ArchiveFiles(file).Delete();
        return Task.CompletedTask;
    }

    /// <summary>The manifest written beside an archive (<c>PATH.manifest.json</c>), for an archive whose database has no row for it.</summary>
    public static BackupManifest ReadManifest(string archive)
    {
        var files = new ArchiveFiles(Path.GetFullPath(archive));
        if (!File.Exists(files.Manifest))
            throw new FerryException($"{files.Archive} has no manifest beside it ({files.Manifest}): it was not written by ferry backup --file.");
        return ManifestJson.Read(File.ReadAllText(files.Manifest), files.Manifest) with { File = files.Archive };
    }
}
