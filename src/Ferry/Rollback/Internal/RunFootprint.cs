using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Rollback.Internal;

/// <summary>A migration a run applied, as its journal document names it.</summary>
internal sealed record AppliedMigration(string? Version, string Name, string Kind, string File, string? Down);

/// <summary>
/// What one journaled run did to the target, read from its <c>--json</c> document: the tables it touched, what a copy
/// created and replaced, the migrations a <c>migrate up</c> applied. Tables are qualified names (<c>schema.table</c>).
/// </summary>
internal sealed class RunFootprint
{
    public required RunRecord Run { get; init; }

    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    public List<string> CreatedSchemas { get; } = [];

    public List<string> CreatedTables { get; } = [];

    public List<string> CreatedViews { get; } = [];

    public List<string> CreatedTypes { get; } = [];

    public List<string> Replaced { get; } = [];

    public List<AppliedMigration> Migrations { get; } = [];

    public string? HistoryTable { get; private set; }

    /// <summary>Whether the document says what the run created (a copy journaled by an older Ferry does not).</summary>
    public bool RecordsCreated { get; private set; }

    /// <summary>A copy's source, as its <c>copy_state</c> rows are keyed.</summary>
    public string? Source { get; private set; }

    /// <summary>The run this one rolled back (a <c>rollback</c> run's document), else null.</summary>
    public long? RolledBack { get; private set; }

    /// <summary>Kinds whose runs change no live table: never in the way of a rollback.</summary>
    static readonly HashSet<string> ReadOnly = new(StringComparer.Ordinal) { "verify", "check", "backup", "backups drop", "backups prune", "migrate validate", "migrate status" };

    public bool ChangesTables => !ReadOnly.Contains(Run.Kind);

    public static RunFootprint Of(RunRecord run)
    {
        var footprint = new RunFootprint { Run = run };
        if (run.Document is { ValueKind: JsonValueKind.Object } document)
            footprint.Read(document);
        return footprint;
    }

    void Read(JsonElement document)
    {
        HistoryTable = Text(document, "history_table");
        Source = Text(document, "source");
        if (document.TryGetProperty("rolled_back", out var rolledBack) && rolledBack.ValueKind == JsonValueKind.Number)
            RolledBack = rolledBack.GetInt64();
        foreach (var name in Strings(document, "touched"))
            Touched.Add(name);
        foreach (var name in Strings(document, "replaced"))
        {
            Replaced.Add(name);
            Touched.Add(name);
        }

        if (document.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Object)
        {
            RecordsCreated = true;
            CreatedSchemas.AddRange(Strings(created, "schemas"));
            CreatedTables.AddRange(Strings(created, "tables"));
            CreatedViews.AddRange(Strings(created, "views"));
            CreatedTypes.AddRange(Strings(created, "types"));
            foreach (var name in CreatedTables.Concat(CreatedViews))
                Touched.Add(name);
        }

        // copy, restore and sync documents list their tables: a copy's by target, a restore's by table.
        if (document.TryGetProperty("tables", out var tables) && tables.ValueKind == JsonValueKind.Array)
        {
            foreach (var table in tables.EnumerateArray())
            {
                if (table.ValueKind != JsonValueKind.Object)
                    continue;
                if ((Text(table, "target") ?? (Run.Kind is "copy" or "verify" ? null : Text(table, "table"))) is { } name)
                    Touched.Add(name);
            }
        }

        if (document.TryGetProperty("steps", out var steps) && steps.ValueKind == JsonValueKind.Array)
        {
            foreach (var step in steps.EnumerateArray())
            {
                if (Text(step, "file") is { } file)
                    Migrations.Add(new AppliedMigration(Text(step, "version"), Text(step, "name") ?? file, Text(step, "kind") ?? "versioned", file, Text(step, "down")));
            }
        }
    }

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static IEnumerable<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
            : [];
}
