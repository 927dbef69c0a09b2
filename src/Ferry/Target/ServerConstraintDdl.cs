using Ferry.Schema;

namespace Ferry.Target;

/// <summary>Constraints added from the source server's own definition text, and checks the source holds NOT VALID.</summary>
internal static class ServerConstraintDdl
{
    public static string Add(string qualifiedTable, string name, string definition) =>
        $"ALTER TABLE {qualifiedTable} ADD CONSTRAINT {Identifiers.Quote(name)} {definition}";

    /// <summary>
    /// A check the source has NOT VALID, added after the load so that the rows the source holds are not refused.
    /// Dropped first where it exists: the statement may run again whole (a resumed copy).
    /// </summary>
    /// <summary>
    /// --resume: the NOT VALID checks of a table (and its partitions) that an earlier run added, dropped before its
    /// rows are loaded again (a NOT VALID check still refuses new rows that break it); the key phase adds them back.
    /// </summary>
    public static IEnumerable<string> DropNotValid(PlannedTable table) =>
        table.Checks.Where(c => c.NotValid && c.Name is not null).Select(c => (table.QualifiedName, c.Name!))
            .Concat(table.Partitions.SelectMany(p => p.Source.Checks.Where(c => c.NotValid && c.Name is not null).Select(c => (p.QualifiedName, c.Name!))))
            .Select(c => $"ALTER TABLE IF EXISTS {c.Item1} DROP CONSTRAINT IF EXISTS {Identifiers.Quote(c.Item2)}");

    public static string AddNotValid(string qualifiedTable, CheckModel check) =>
        $"ALTER TABLE {qualifiedTable} DROP CONSTRAINT IF EXISTS {Identifiers.Quote(check.Name!)}, ADD {DdlWriter.CheckClause(check)} NOT VALID";
}
