namespace Ferry.Migrations.Internal;

/// <summary>A status entry with what it was built from: the history row (if any) and the file (if any).</summary>
internal sealed record StatusLine(MigrationStatusEntry Entry, HistoryRow? Row, MigrationScript? Script)
{
    public MigrationFiles? Files { get; init; }
}

/// <summary>Joins the folder and the history table into one status line per migration.</summary>
internal static class MigrationStatusBuilder
{
    /// <summary>Versioned migrations (including missing ones and a baseline) in version order, then repeatable ones by name.</summary>
    public static List<StatusLine> Build(List<LoadedMigration> migrations, List<HistoryRow> history)
    {
        var baseline = history.Where(r => r.Kind == MigrationKind.Baseline && r.ParsedVersion is not null).MaxBy(r => r.ParsedVersion);
        var versionRows = history.Where(r => r.Kind == MigrationKind.Versioned && r.ParsedVersion is not null)
            .GroupBy(r => r.ParsedVersion!).ToDictionary(g => g.Key, g => g.Last());
        var repeatableRows = history.Where(r => r.Kind == MigrationKind.Repeatable)
            .GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

        var versioned = new List<(MigrationVersion Version, StatusLine Line)>();
        var repeatable = new List<StatusLine>();
        foreach (var migration in migrations)
        {
            var (files, script) = (migration.Files, migration.Up);
            if (files.Version is { } version)
            {
                var line = versionRows.Remove(version, out var row)
                    ? Line(files, script, row, row.Success ? row.Checksum == script.Checksum ? MigrationState.Applied : MigrationState.Changed : MigrationState.Failed)
                    : baseline is not null && version <= baseline.ParsedVersion!
                        ? new StatusLine(Entry(files, script, baseline, MigrationState.Applied), null, script) { Files = files } // Covered by the baseline.
                        : Line(files, script, null, MigrationState.Pending);
                versioned.Add((version, line));
            }
            else
            {
                var state = !repeatableRows.Remove(files.Name, out var row) ? MigrationState.Pending
                    : !row.Success ? MigrationState.Failed
                    : row.Checksum == script.Checksum ? MigrationState.Applied
                    : MigrationState.Pending; // A repeatable migration runs again when its file changes.
                repeatable.Add(Line(files, script, row, state));
            }
        }

        foreach (var (version, row) in versionRows)
            versioned.Add((version, new StatusLine(Missing(row), row, null)));
        if (baseline is not null && !versioned.Any(v => v.Version == baseline.ParsedVersion))
        {
            var entry = new MigrationStatusEntry(baseline.Version, baseline.Name, MigrationKind.Baseline, MigrationState.Applied, null, null, baseline.AppliedAt, baseline.ExecutionMs, null);
            versioned.Add((baseline.ParsedVersion!, new StatusLine(entry, null, null)));
        }

        repeatable.AddRange(repeatableRows.Values.Select(row => new StatusLine(Missing(row), row, null)));
        return versioned.OrderBy(v => v.Version).Select(v => v.Line)
            .Concat(repeatable.OrderBy(r => r.Entry.Name, StringComparer.Ordinal))
            .ToList();
    }

    static StatusLine Line(MigrationFiles files, MigrationScript script, HistoryRow? row, MigrationState state) =>
        new(Entry(files, script, row, state), row, script) { Files = files };

    static MigrationStatusEntry Entry(MigrationFiles files, MigrationScript script, HistoryRow? row, MigrationState state) =>
        new(files.Version?.Text, files.Name, files.Kind, state, script.FileName, script.Checksum, row?.AppliedAt, row?.ExecutionMs, row?.Error);

    /// <summary>A row whose file is gone: <c>missing</c> when it was applied, still <c>failed</c> when it failed.</summary>
    static MigrationStatusEntry Missing(HistoryRow row) =>
        new(row.Version, row.Name, row.Kind, row.Success ? MigrationState.Missing : MigrationState.Failed, null, row.Checksum, row.AppliedAt, row.ExecutionMs, row.Error);
}
