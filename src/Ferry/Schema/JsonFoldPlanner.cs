namespace Ferry.Schema;

/// <summary>
/// Adds the transforms' JSON folds to a plan (after the column steps: a folded column's steps run before its value is
/// folded): each fold's <c>jsonb</c> column at the end of its table, and, with <c>drop: true</c>, the folded columns
/// left out of the target though still read. What cannot be made is refused naming the transform's file and line: a
/// column the table lacks (or the transform drops), a name taken, a key or a check on a column folded away.
/// </summary>
internal static class JsonFoldPlanner
{
    public static void Apply(List<PlannedTable> tables)
    {
        foreach (var table in tables.Where(t => t.Rename is { Folds.Count: > 0 }))
        {
            foreach (var fold in table.Rename!.Folds)
                Apply(table, tables, fold);
        }
    }

    static void Apply(PlannedTable table, List<PlannedTable> tables, JsonFold fold)
    {
        var what = $"{fold.Origin}: the column {fold.Name} of {table.Source.QualifiedSourceName}";
        if (fold.Name.Length == 0 || Identifiers.IsTooLong(fold.Name))
            throw Refused($"{what}: the name cannot name a PostgreSQL column (1 to {Identifiers.MaxBytes} bytes).");
        if (fold.Columns.Count == 0)
            throw Refused($"{what}: json: names no column; list the columns folded into it.");
        var members = new List<int>();
        foreach (var name in fold.Columns)
            members.Add(Member(table, name, what));
        var folded = members.Select(m => table.Copied[m]).ToList();
        if (members.Distinct().Count() < members.Count)
            throw Refused($"{what}: json: lists a column twice; each key of the object is one column.");
        if (folded.FirstOrDefault(c => c.Steps.Any(s => !s.Deterministic)) is { } unrepeatable)
        {
            throw Refused(
                $"{what}: {unrepeatable.SourceName}'s values go through {unrepeatable.Steps.First(s => !s.Deterministic).Description}, " +
                "which gives another value each time, so the folded object could not be verified. Keep the column on its own, or leave it out of json:.");
        }

        var foldedAway = fold.DropFolded ? folded.Where(c => table.Columns.Contains(c)).ToList() : [];
        if (TableRenamePlanner.Uses(table, tables, foldedAway, []) is { Count: > 0 } uses)
        {
            throw Refused(
                $"{what}: {string.Join("; ", uses)} use{(uses.Count == 1 ? "s" : "")} a column drop: true takes out of the table " +
                $"({string.Join(", ", foldedAway.Select(c => c.SourceName))}). Keep the columns (drop: false), or leave that column out of json:.");
        }

        if (table.Columns.Except(foldedAway).FirstOrDefault(c => string.Equals(c.TargetName, fold.Name, StringComparison.Ordinal)) is { } taken)
            throw Refused($"{what}: the table already has a column named {fold.Name} (from {taken.SourceName}). Name the added column otherwise.");
        var column = new PlannedColumn(new ColumnModel
        {
            SourceName = fold.Name,
            SourceType = $"json of {string.Join(", ", fold.Columns)}",
            TargetName = fold.Name,
            Type = PgType.Jsonb,
            Rule = $"json of {string.Join(", ", fold.Columns)} → jsonb",
        });
        table.Fold(new PlannedFold(column, fold.Columns, members), foldedAway);
        if (foldedAway.Count > 0)
            table.Applied.Add($"{string.Join(", ", foldedAway.Select(c => c.SourceName))} folded into {fold.Name}, not created");
    }

    /// <summary>The position among the columns read of the folded column <paramref name="name"/>.</summary>
    static int Member(PlannedTable table, string name, string what)
    {
        var copied = table.Copied.ToList();
        var index = copied.FindIndex(c => c.SourceName == name);
        if (index < 0)
            index = copied.FindIndex(c => string.Equals(c.SourceName, name, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
            return index;
        if (table.Dropped.Any(c => string.Equals(c.SourceName, name, StringComparison.OrdinalIgnoreCase)))
            throw Refused($"{what}: {name} is dropped by the transform (drop: true), so it is not read and cannot be folded. Remove its drop, or leave it out of json:.");
        if (table.Columns.FirstOrDefault(c => string.Equals(c.SourceName, name, StringComparison.OrdinalIgnoreCase)) is { GeneratedSql: not null })
            throw Refused($"{what}: {name} is a generated column, computed by PostgreSQL and not read from the source, so it cannot be folded.");
        var names = table.Copied.Select(c => c.SourceName).ToList();
        throw Refused($"{what}: the table has no column '{name}'{TableRenamePlanner.Nearest(name, names)}. Its columns are: {string.Join(", ", names)}.");
    }

    static FerryException Refused(string message) => new(message + " Nothing was written.", FailureKind.Configuration);
}
