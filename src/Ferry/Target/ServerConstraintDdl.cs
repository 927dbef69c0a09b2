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
    public static string AddNotValid(string qualifiedTable, CheckModel check) =>
        $"ALTER TABLE {qualifiedTable} DROP CONSTRAINT IF EXISTS {Identifiers.Quote(check.Name!)}, ADD {DdlWriter.CheckClause(check)} NOT VALID";
}
