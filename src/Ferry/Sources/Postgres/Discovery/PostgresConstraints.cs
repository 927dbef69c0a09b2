using Ferry.Schema;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>A PostgreSQL source table's declared constraints, as its model holds them: keys, exclusions, checks, foreign keys.</summary>
internal static class PostgresConstraints
{
    /// <summary>Adds the rows of constraints.sql for <paramref name="table"/> to it.</summary>
    public static void Add(TableModel table, IEnumerable<object?[]> rows, PostgresNames names, IReadOnlyDictionary<string, string> renames)
    {
        foreach (var row in rows)
        {
            var name = (string)row[1]!;
            var columns = ((string[])row[5]!).Select(names.Name).ToList();
            var comment = (string?)row[14];
            switch ((string)row[2]!)
            {
                case "p":
                    table.PrimaryKey = PostgresKeys.Key(name, columns, (string)row[3]!, (string[]?)row[16], comment, names, renames);
                    break;
                case "u":
                    table.UniqueKeys.Add(PostgresKeys.Key(name, columns, (string)row[3]!, (string[]?)row[16], comment, names, renames));
                    break;
                case "x":
                    table.Exclusions.Add(PostgresKeys.Key(name, columns, (string)row[3]!, (string[]?)row[16], comment, names, renames));
                    break;
                case "c":
                    table.Checks.Add(new CheckModel(names.Name(name), names.Rewrite((string)row[4]!, renames)) { NotValid = !(bool)row[13]!, NoInherit = (bool)row[15]!, Comment = comment });
                    if (!(bool)row[13]!)
                        table.Notes.Add($"check {name} is NOT VALID in the source: added NOT VALID after the load");
                    break;
                case "f":
                    table.ForeignKeys.Add(new ForeignKeyModel(
                        names.Name(name), columns, (string?)row[6], (string)row[7]!, ((string[])row[8]!).Select(names.Name).ToList(),
                        Action((string)row[9]!), Action((string)row[10]!),
                        !(bool)row[11]! ? Deferrability.NotDeferrable : (bool)row[12]! ? Deferrability.InitiallyDeferred : Deferrability.InitiallyImmediate)
                    { Comment = comment });
                    break;
            }
        }
    }

    /// <summary>A foreign key action as pg_constraint codes it.</summary>
    static string Action(string code) => code switch
    {
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "NO ACTION",
    };
}
