using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// The create step of a copy, in one transaction: refuses existing tables and types (unless --resume or --replace),
/// records the state, runs the <see cref="CopySteps.Create"/> steps (on --resume: types that exist and finished tables
/// skipped, unfinished tables emptied instead of created), and commits the tables to load. A failure leaves the target
/// as it was (--replace's drops included).
/// </summary>
internal static class TargetPreparation
{
    public static async Task RunAsync(NpgsqlConnection connection, CopySteps steps, string stateKey, CopyOptions options, CopyResult result, RetriedCommit<List<PlannedTable>> commit, CancellationToken cancellationToken)
    {
        var plan = steps.Plan;
        var existing = await ExistingRelationsAsync(connection, cancellationToken);
        var relations = plan.Tables.Select(t => t.DisplayName).Concat(plan.Views.Select(v => v.DisplayName)).Concat(plan.CompatViews.Select(v => v.DisplayName)).ToList();
        var present = relations.Where(existing.Contains).Concat(ServerObjectSteps.Made(plan, ServerObjectKind.Sequence).Where(existing.Contains).Select(s => "sequence " + s)).ToList();
        var types = plan.Enums.Count == 0 && plan.ServerObjects.Count == 0 ? [] : await ExistingTypesAsync(connection, cancellationToken);
        var reused = options.Replace ? [] : await ReusedEnums.CheckAsync(connection, plan, types, cancellationToken);
        var presentTypes = plan.Enums.Select(e => e.DisplayName).Where(e => !reused.Contains(e)).Concat(ServerObjectSteps.Made(plan, ServerObjectKind.Type)).Where(types.Contains).ToList();
        if (present.Count + presentTypes.Count > 0 && !options.Resume && !options.Replace)
        {
            throw new FerryException(
                $"The target already has {string.Join(", ", present.Concat(presentTypes.Select(t => "type " + t)))}. Nothing was written. Use --resume to continue an interrupted copy of {plan.Source}, " +
                "--replace to drop and copy them again, or --schema to copy into another schema.");
        }

        if (options is { Replace: true, BeforeReplace: { } beforeReplace } && plan.Tables.Select(t => t.DisplayName).Where(existing.Contains).ToList() is { Count: > 0 } replaced)
            await beforeReplace(replaced, cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CreationRecord.Note(result, plan, existing, types, await SchemasAsync(connection, cancellationToken), reused, options.Replace);
        await CopyState.EnsureAsync(connection, cancellationToken);
        var states = options.Resume ? await CopyState.ReadAsync(connection, stateKey, cancellationToken) : [];
        if (options.Resume && states.Count == 0 && present.Count > 0)
        {
            // Never empty tables that no copy of this source created.
            throw new FerryException(
                $"--resume: ferry.copy_state has no earlier copy of {plan.Source}, but the target already has {string.Join(", ", present)}. " +
                "Nothing was written. Use --replace to drop and copy them, or --schema to copy into another schema.");
        }
        if (options.Replace)
        {
            await DropForReplaceAsync(connection, steps.Replace, cancellationToken);
            existing.Clear();
            types.Clear();
        }

        if (options.Resume)
        {
            // Foreign keys, NOT VALID checks and views are rebuilt at the end; dropping them first lets unfinished tables be emptied and loaded.
            foreach (var (table, fk) in DdlWriter.ForeignKeys(plan).Where(f => existing.Contains(f.Table.DisplayName)))
                await TargetSql.ExecuteAsync(connection, $"ALTER TABLE {table.QualifiedName} DROP CONSTRAINT IF EXISTS {Identifiers.Quote(fk.Name)}", cancellationToken);
            foreach (var sql in plan.Tables.Where(t => existing.Contains(t.DisplayName)).SelectMany(ServerConstraintDdl.DropNotValid))
                await TargetSql.ExecuteAsync(connection, sql, cancellationToken);
            foreach (var view in plan.CompatViews)
                await TargetSql.ExecuteAsync(connection, $"DROP VIEW IF EXISTS {view.QualifiedName}", cancellationToken);
            foreach (var view in plan.Views.Reverse())
                await TargetSql.ExecuteAsync(connection, DdlWriter.DropView(view), cancellationToken);
        }

        var finished = plan.Tables.Where(t => existing.Contains(t.DisplayName) && states.TryGetValue(t.DisplayName, out var s) && s.Status == CopyState.Loaded).ToList();
        var digest = ResumeDigest.Of(options);
        if (finished.Where(t => states[t.DisplayName].Digest != digest).Select(t => t.DisplayName).ToList() is { Count: > 0 } changed)
        {
            throw new FerryException(
                $"--resume: {string.Join(", ", changed)} {(changed.Count == 1 ? "was" : "were")} loaded by the earlier copy of {plan.Source} under other filters or another transform " +
                "(--where, where:, the transform's steps, renames or derived tables); keeping them would mix rows read under both. Nothing was written. " +
                "Resume with the filters and transform the earlier run had, or copy again with --replace.");
        }

        var toLoad = plan.Tables.Except(finished).ToList();
        foreach (var table in finished)
        {
            var state = states[table.DisplayName];
            result.Tables.Add(new TableCopyResult
            {
                Source = table.Source.QualifiedSourceName,
                Target = table.DisplayName,
                RowsRead = state.RowsRead + (state.RowsFiltered ?? 0),
                RowsWritten = state.RowsWritten,
                RowsRejected = state.RowsRejected,
                RowsFiltered = state.RowsFiltered ?? 0,
                FilteredCounted = state.RowsFiltered is not null,
                Resumed = true,
            });
        }

        foreach (var step in steps.Create.Steps)
        {
            // On --resume, a type that exists was created by the run being resumed; a reused enum exists with its labels.
            if (step.Kind == StepKind.EnumType && types.Contains(step.Enum!.DisplayName) || step.Kind == StepKind.Table && finished.Contains(step.Table!)
                || step.Kind == StepKind.ServerObject && ServerObjectSteps.Exists(step, types, existing))
                continue;
            var sql = step.Kind == StepKind.Table && existing.Contains(step.Table!.DisplayName)
                ? $"TRUNCATE {step.Table.QualifiedName};\n" + DdlWriter.PauseAutovacuum(step.Table)
                : step.Sql;
            await TargetSql.ExecuteAsync(connection, sql, cancellationToken);
        }

        await CopyState.ResetAsync(connection, stateKey, toLoad.Select(t => t.DisplayName), digest, cancellationToken);
        await commit.CommitAsync(transaction, toLoad, cancellationToken);
    }

    /// <summary>
    /// --replace, inside <see cref="RunAsync"/>'s transaction: the drops of <see cref="CopySteps.Replace"/> (the plan's
    /// views, tables and enum types that exist, without CASCADE). When PostgreSQL names something that depends
    /// on them (another table's foreign key or column of the type, a view the copy does not make), the transaction is
    /// rolled back, nothing is dropped and the run stops, naming it.
    /// </summary>
    static async Task DropForReplaceAsync(NpgsqlConnection connection, StepGroup drops, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var step in drops.Steps)
                await TargetSql.ExecuteAsync(connection, step.Sql, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
        {
            var dependents = string.Join("; ", (e.Detail ?? e.MessageText).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new FerryException(
                $"--replace would also drop what depends on the tables, views and types of this copy: {dependents}. Nothing was dropped or written. " +
                "Include those tables in the copy (--tables), drop what depends on them first, or copy into another schema (--schema).");
        }
    }

    /// <summary>Types other than arrays (enums, domains, tables' row types…), as <c>schema.name</c>.</summary>
    static async Task<HashSet<string>> ExistingTypesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typcategory <> 'A' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """;
        return [.. await TargetSql.StringsAsync(connection, sql, cancellationToken)];
    }

    static async Task<HashSet<string>> SchemasAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        [.. await TargetSql.StringsAsync(connection, "SELECT nspname FROM pg_namespace", cancellationToken)];

    static async Task<HashSet<string>> ExistingRelationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """;
        return [.. await TargetSql.StringsAsync(connection, sql, cancellationToken)];
    }
}
