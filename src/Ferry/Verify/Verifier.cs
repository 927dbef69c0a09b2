using Ferry.Connections;
using Ferry.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Verify.Internal;
using Npgsql;

namespace Ferry.Verify;

/// <summary>
/// Proves a copy complete and identical: for each source table, row counts and a content fingerprint on both
/// sides (source rows hashed in C# as they stream, or in SQL inside a PostgreSQL source in its snapshot; target rows
/// hashed in SQL inside PostgreSQL; only per-bucket aggregates cross the wire), the differing rows named by key (<c>changed</c>, <c>missing</c>, <c>extra</c>),
/// and the target's integrity: foreign-key orphans and duplicated keys. A table whose queries lose their connection
/// to the target is compared again, whole, on a new one (it only reads).
/// </summary>
/// <example>
/// Right after a copy, with the copy's plan (its target names already set):
/// <code>var result = await new Verifier(target, new VerifyOptions { Names = names, Schema = schema }).VerifyAsync(source, copyResult.Plan, ct);</code>
/// </example>
public sealed class Verifier
{
    readonly PostgresTarget _target;
    readonly VerifyOptions _options;

    public Verifier(PostgresTarget target, VerifyOptions? options = null)
    {
        _target = target;
        _options = options ?? new VerifyOptions();
        if (_options.MaxDifferences < 1)
            throw new FerryException($"--max-differences must be at least 1, not {_options.MaxDifferences}.");
    }

    /// <summary>Discovers the source and verifies its tables (all, or <see cref="VerifyOptions.Tables"/>).</summary>
    public async Task<VerifyResult> VerifyAsync(ISource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        // The target's connection opens while the source is discovered; a source that fails still reports first.
        var (model, connection) = await Meanwhile.AcquireAsync(OpenAsync, () => source.DiscoverAsync(cancellationToken), cancellationToken);
        return await VerifyAsync(source, model, connection, cancellationToken);
    }

    /// <summary>
    /// Verifies what a copy just wrote: the tables of its plan, under the names it gave them
    /// (<c>ferry copy … --verify</c>: <c>await verifier.VerifyAsync(source, copyResult.Plan, ct)</c>).
    /// </summary>
    public Task<VerifyResult> VerifyAsync(ISource source, SchemaPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(plan);
        return VerifyPlannedAsync(source, [.. plan.Tables], cancellationToken);
    }

    /// <summary>Verifies the tables of an already discovered model of <paramref name="source"/>, under the names and types discovery gave them.</summary>
    public async Task<VerifyResult> VerifyAsync(ISource source, SourceModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(model);
        return await VerifyAsync(source, model, await OpenAsync(cancellationToken), cancellationToken);
    }

    async Task<VerifyResult> VerifyPlannedAsync(ISource source, List<PlannedTable> tables, CancellationToken cancellationToken) =>
        await VerifyAsync(source, tables, await OpenAsync(cancellationToken), cancellationToken);

    /// <summary>A discovered model's tables as planned by discovery alone (its names and types), renamed and given the steps of the options.</summary>
    Task<VerifyResult> VerifyAsync(ISource source, SourceModel model, NpgsqlConnection opened, CancellationToken cancellationToken)
    {
        var tables = TableRenamePlanner.Named(model, _options.TableRenames, _options.Origins);
        StepPlanner.AttachSteps(tables, _options.ColumnSteps, _options.Origins);
        JsonFoldPlanner.Apply(tables);
        return VerifyAsync(source, tables, opened, cancellationToken);
    }

    /// <summary>Verifies on <paramref name="opened"/> (a connection from <see cref="OpenAsync"/>), which it disposes.</summary>
    async Task<VerifyResult> VerifyAsync(ISource source, List<PlannedTable> model, NpgsqlConnection opened, CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = opened;
        var retrier = new Retrier(_options.Retry, _options.Logger);
        // Each attempt on the open connection, or a new one when the last was lost.
        async Task<T> Retried<T>(string doing, Func<NpgsqlConnection, CancellationToken, Task<T>> work) =>
            await retrier.RunAsync(doing, async (_, ct) =>
            {
                try
                {
                    return await work(connection ??= await OpenAsync(ct), ct);
                }
                catch (Exception e) when (ConnectionLoss.Describe(e) is not null)
                {
                    if (connection is not null)
                        NpgsqlConnection.ClearPool(connection); // idle pooled connections went with the server
                    await DisposeQuietlyAsync(connection);
                    connection = null;
                    throw;
                }
            }, cancellationToken);

        var server = source is IServerHashedSource hashed ? new SourceServer(hashed) : null;
        try
        {
            var tables = Select(model);
            var utf8 = await Retried("reading the target's settings", (c, ct) => HashingSession.ServerSettingsAsync(c, "target", ct));
            var catalog = new Dictionary<(string, string), TargetTable?>();
            var results = new List<TableVerification>();
            foreach (var table in tables)
            {
                var (schema, name) = TargetOf(table);
                results.Add(await Retried($"verifying {table.Source.QualifiedSourceName} → {schema}.{name}", async (c, ct) =>
                {
                    async Task<TargetTable?> Lookup(string s, string n, CancellationToken ct2)
                    {
                        if (!catalog.TryGetValue((s, n), out var found))
                            catalog[(s, n)] = found = await TargetTable.LoadAsync(c, s, n, ct2);
                        return found;
                    }

                    return await VerifyTableAsync(source, server, model, table, c, utf8, Lookup, ct);
                }));
            }

            return new VerifyResult { Tables = results };
        }
        catch (TargetLostException e) when (e.Detail is null)
        {
            throw e.With("Run the same command again when the server is back (verify only reads: nothing is left half done).");
        }
        finally
        {
            await DisposeQuietlyAsync(connection);
        }
    }

    async Task<TableVerification> VerifyTableAsync(
        ISource source, SourceServer? server, List<PlannedTable> model, PlannedTable table, NpgsqlConnection connection, bool utf8,
        Func<string, string, CancellationToken, Task<TargetTable?>> lookup, CancellationToken cancellationToken)
    {
        var (schema, name) = TargetOf(table);
        var result = new TableVerification { Source = table.Source.QualifiedSourceName, Target = $"{schema}.{name}" };
        _options.Progress?.Report($"verifying {table.Source.QualifiedSourceName} → {result.Target}");
        var target = await lookup(schema, name, cancellationToken);
        if (target is null)
        {
            result.Problems.Add($"table {result.Target} is missing in the target (copy it, or check --names and --schema)");
            (result.SourceRows, result.SourceRejected) = server is null
                ? await Task.Run(() => TableComparison.CountSource(source, table, cancellationToken), cancellationToken)
                : (await server.CountAsync(table, cancellationToken), 0);
            result.Compared = "counts";
            return result;
        }

        if (server is null)
        {
            AdoptTargetTypes(table, target, _options.Names);
            await new TableComparison(source, table, target, _options, connection, utf8, result, OpenAsync).RunAsync(cancellationToken);
        }
        else
        {
            // Both sides hash on their servers, each by its own catalog's types: the copy's plan is left as it is. A
            // table with column steps is hashed in C# on the source side, where the steps run, its values as the server prints them.
            await using var onServer = await server.OpenTableAsync(table, cancellationToken);
            await new TableComparison(source, table, target, _options, connection, utf8, result, OpenAsync, onServer).RunAsync(cancellationToken);
        }

        await new IntegrityChecker(connection, _options, lookup).CheckAsync(target, IntegrityChecker.DeclaredKeys(table, _options.Names), Relationships(table, model), result, cancellationToken);
        return result;
    }

    static async Task DisposeQuietlyAsync(NpgsqlConnection? connection)
    {
        try
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // A lost connection may fail to close; it is gone either way.
        }
    }

    /// <summary>
    /// The source's values are read as the types the copy gave the target columns (its data-driven choices and
    /// --cast overrides included), so verify needs neither the copy's plan nor a second scan of the source's data.
    /// </summary>
    internal static void AdoptTargetTypes(PlannedTable table, TargetTable target, NamingRule names)
    {
        foreach (var column in table.Columns)
        {
            if (column.GeneratedSql is not null || target.Column(TargetNameOf(table, column, names)) is not { } targetColumn)
                continue;
            if (targetColumn.TypeType == 'e')
            {
                column.Type = PgType.EnumOf(targetColumn.FormattedType);
                continue;
            }

            try
            {
                // geometry keeps the source's mapping: the SRID the copy gave its values is not in the column's type.
                if (PgType.Parse(targetColumn.FormattedType) is var type && !(type.Kind == PgTypeKind.Geometry && column.Type.Kind == PgTypeKind.Geometry))
                    column.Type = type;
            }
            catch (FerryException)
            {
                // A type Ferry does not write (a domain, say): keep the source's mapping, the comparison reports any mismatch.
            }
        }
    }

    /// <summary>A connection to the target with the session settings and memory the hashing needs (<see cref="HashingSession.PinAsync"/>).</summary>
    async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _target.OpenAsync(cancellationToken);
        await HashingSession.PinAsync(connection, cancellationToken);
        return connection;
    }

    List<PlannedTable> Select(List<PlannedTable> tables) =>
        TableSelection.Of(_options.Tables, _options.Names).Select(tables, t => (t.Source.SourceSchema, t.Source.SourceName),
            missing => $"--tables: the source has no table '{missing[0]}'. Its tables: {string.Join(", ", tables.Select(t => t.Source.QualifiedSourceName))}.");

    (string Schema, string Name) TargetOf(PlannedTable table)
    {
        var schema = table.Rename?.Schema ?? _options.Schema ?? (table.TargetSchema.Length > 0 ? table.TargetSchema : "public");
        var name = Identifiers.Truncate(table.TargetName.Length > 0 ? table.TargetName : _options.Names.Apply(table.Source.SourceName));
        return (schema, name);
    }

    /// <summary>The source's foreign keys, in target names; those whose tables or columns cannot be resolved are left out.</summary>
    IEnumerable<IntegrityChecker.Relationship> Relationships(PlannedTable table, List<PlannedTable> model)
    {
        foreach (var foreignKey in table.Source.ForeignKeys)
        {
            var referenced = model.FirstOrDefault(t => t.Source.SourceName == foreignKey.ReferencedTable && (foreignKey.ReferencedSchema is null || t.Source.SourceSchema == foreignKey.ReferencedSchema))
                ?? model.FirstOrDefault(t => string.Equals(t.Source.SourceName, foreignKey.ReferencedTable, StringComparison.OrdinalIgnoreCase));
            if (referenced is null)
                continue;
            var referencedColumns = foreignKey.ReferencedColumns.Count > 0 ? foreignKey.ReferencedColumns : referenced.PrimaryKey?.Columns ?? [];
            var columns = foreignKey.Columns.Select(c => ResolveColumn(table, c, _options.Names)).ToList();
            var targetColumns = referencedColumns.Select(c => ResolveColumn(referenced, c, _options.Names)).ToList();
            if (columns.Count == 0 || columns.Count != targetColumns.Count || columns.Any(c => c is null) || targetColumns.Any(c => c is null))
                continue;
            var (schema, name) = TargetOf(referenced);
            yield return new IntegrityChecker.Relationship(foreignKey.Name ?? $"{table.Source.SourceName}({string.Join(", ", foreignKey.Columns)}) → {referenced.Source.SourceName}", columns!, schema, name, targetColumns!,
                foreignKey.Deferrability);
        }
    }

    /// <summary>
    /// The column's name in the target, as the copy's plan gives it: a discovered model's names have the naming rule
    /// applied but are not yet cut to PostgreSQL's 63 bytes, as the planner (and PostgreSQL) cut them.
    /// </summary>
    internal static string TargetNameOf(PlannedTable table, PlannedColumn column, NamingRule names) =>
        Identifiers.Truncate(column.TargetName.Length > 0 ? column.TargetName : names.ColumnName(column.SourceName, Position(table, column)));

    static int Position(PlannedTable table, PlannedColumn column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i] == column)
                return i + 1;
        }

        return 0;
    }

    /// <summary>A column named by its target or source name, as its target name.</summary>
    internal static string? ResolveColumn(PlannedTable table, string name, NamingRule names)
    {
        var column = table.Columns.FirstOrDefault(c => c.TargetName.Length > 0 && c.TargetName == name)
            ?? table.Columns.FirstOrDefault(c => c.SourceName == name)
            ?? table.Columns.FirstOrDefault(c => string.Equals(c.SourceName, name, StringComparison.OrdinalIgnoreCase));
        return column is null ? null : TargetNameOf(table, column, names);
    }
}
