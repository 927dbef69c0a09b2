using System.Text;
using System.Text.Json.Serialization;
using Ferry.Schema;

namespace Ferry.Backup;

/// <summary>
/// What recreates a table as it was, read from the catalog (no <c>pg_dump</c>): its columns, constraints and indexes
/// with their names, outgoing and incoming foreign keys, sequences, triggers, comments, the enum and domain types its
/// columns use and the views built on it. The SQL was read under <c>search_path = pg_catalog</c>, so every name in it is
/// schema-qualified. The statements render for the table's own name or another (<c>restore --into</c>).
/// </summary>
public sealed record TableDefinition
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    /// <summary>The table's name as the catalog's SQL quotes it (<c>schema.name</c>, quoted where needed).</summary>
    public required string Qualified { get; init; }

    public bool Unlogged { get; init; }

    /// <summary>Storage parameters (<c>fillfactor=70</c>, …).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    public required IReadOnlyList<ColumnDefinition> Columns { get; init; }

    /// <summary>Primary key, unique, check and exclusion constraints: <see cref="NamedDefinition.Sql"/> is the body.</summary>
    public IReadOnlyList<NamedDefinition> Constraints { get; init; } = [];

    /// <summary>Indexes that back no constraint (partial ones too): whole <c>CREATE INDEX</c> statements.</summary>
    public IReadOnlyList<NamedDefinition> Indexes { get; init; } = [];

    /// <summary>This table's foreign keys (a self-reference too): bodies, with the referenced table.</summary>
    public IReadOnlyList<NamedDefinition> ForeignKeys { get; init; } = [];

    /// <summary>Other tables' foreign keys to this one: bodies, with their table (<see cref="NamedDefinition.Schema"/>, <see cref="NamedDefinition.Table"/>).</summary>
    public IReadOnlyList<NamedDefinition> IncomingForeignKeys { get; init; } = [];

    public IReadOnlyList<OwnedSequence> Sequences { get; init; } = [];

    /// <summary>User triggers: whole <c>CREATE TRIGGER</c> statements.</summary>
    public IReadOnlyList<NamedDefinition> Triggers { get; init; } = [];

    /// <summary>Privileges granted to others than the owner: whole <c>GRANT … ON table TO …</c> statements.</summary>
    public IReadOnlyList<NamedDefinition> Grants { get; init; } = [];

    public string? Comment { get; init; }

    /// <summary>Column comments: <see cref="NamedDefinition.Name"/> is the column, <see cref="NamedDefinition.Sql"/> the text.</summary>
    public IReadOnlyList<NamedDefinition> ColumnComments { get; init; } = [];

    /// <summary>Enum and domain types the columns use (enums first): whole <c>CREATE TYPE</c>/<c>CREATE DOMAIN</c> statements.</summary>
    public IReadOnlyList<NamedDefinition> Types { get; init; } = [];

    /// <summary>Views and materialized views built on the table (by <see cref="NamedDefinition.Depth"/>): whole <c>CREATE</c> statements.</summary>
    public IReadOnlyList<NamedDefinition> Views { get; init; } = [];

    [JsonIgnore]
    public string DisplayName => Schema + "." + Name;

    /// <summary>The columns a restore writes: every one but generated columns, which the table computes.</summary>
    [JsonIgnore]
    public IEnumerable<ColumnDefinition> WrittenColumns => Columns.Where(c => c.Generated is null);

    /// <summary>Whether <paramref name="other"/> (the live table now) has the same columns, in any order.</summary>
    public bool SameColumns(TableDefinition other) =>
        Columns.Count == other.Columns.Count && Columns.All(c => other.Columns.Contains(c));

    /// <summary>
    /// <c>CREATE TABLE</c> as <paramref name="table"/> (quoted, qualified): columns only; constraints and indexes come after
    /// the data. <paramref name="sequences"/> maps a recorded sequence (qualified) to the one the table uses instead
    /// (<c>--into</c>); an identity keeps its sequence's name unless <paramref name="identityNames"/> is false.
    /// </summary>
    public string CreateTable(string table, IReadOnlyDictionary<string, string>? sequences = null, bool identityNames = true)
    {
        var sql = new StringBuilder($"CREATE {(Unlogged ? "UNLOGGED " : "")}TABLE {table} (");
        for (var i = 0; i < Columns.Count; i++)
        {
            var c = Columns[i];
            sql.Append(i == 0 ? "\n    " : ",\n    ").Append(Identifiers.QuoteAlways(c.Name)).Append(' ').Append(c.Type);
            if (c.Collation is not null)
                sql.Append(" COLLATE ").Append(c.Collation);
            if (c.Generated is not null)
                sql.Append(" GENERATED ALWAYS AS (").Append(c.Generated).Append(") STORED");
            if (c.Identity is not null)
            {
                var name = c.IdentitySequence is { } s && sequences?.GetValueOrDefault(s) is { } mapped ? mapped : c.IdentitySequence;
                sql.Append($" GENERATED {c.Identity.ToUpperInvariant()} AS IDENTITY (")
                    .Append(identityNames && name is not null ? $"SEQUENCE NAME {name} " : "").Append(c.IdentityOptions).Append(')');
            }

            if (c.Default is not null)
                sql.Append(" DEFAULT ").Append(Resequenced(c.Default, sequences));
            if (c.NotNull)
                sql.Append(" NOT NULL");
        }

        sql.Append("\n)");
        if (Options.Count > 0)
            sql.Append(" WITH (").Append(string.Join(", ", Options)).Append(')');
        return sql.ToString();
    }

    /// <summary>A default's <c>nextval('seq'::regclass)</c> pointed at the sequence that replaces it.</summary>
    static string Resequenced(string expression, IReadOnlyDictionary<string, string>? sequences)
    {
        if (sequences is null)
            return expression;
        foreach (var (from, to) in sequences)
            expression = expression.Replace(Identifiers.StandardLiteral(from) + "::regclass", Identifiers.StandardLiteral(to) + "::regclass", StringComparison.Ordinal);
        return expression;
    }

    /// <summary><c>ALTER TABLE … ADD CONSTRAINT</c> for a constraint body (a foreign key's too).</summary>
    public static string AddConstraint(string table, NamedDefinition constraint) =>
        $"ALTER TABLE {table} ADD CONSTRAINT {Identifiers.QuoteAlways(constraint.Name)} {constraint.Sql}";

    /// <summary>A foreign key's body referencing <paramref name="referenced"/> instead of the table it names.</summary>
    public static NamedDefinition Referencing(NamedDefinition foreignKey, string referenced) =>
        foreignKey.Referenced is { } from
            ? foreignKey with { Sql = foreignKey.Sql.Replace($"REFERENCES {from}(", $"REFERENCES {referenced}(", StringComparison.Ordinal), Referenced = referenced }
            : foreignKey;

    /// <summary>An index's or trigger's statement for <paramref name="table"/> instead of this table.</summary>
    public string On(NamedDefinition statement, string table) =>
        table == Qualified ? statement.Sql : Retarget(statement.Sql, Qualified, table);

    static string Retarget(string sql, string from, string to)
    {
        foreach (var on in new[] { " ON ONLY ", " ON " })
        {
            var at = sql.IndexOf(on + from + " ", StringComparison.Ordinal);
            if (at >= 0)
                return string.Concat(sql.AsSpan(0, at), on, to, sql.AsSpan(at + on.Length + from.Length));
        }

        return sql;
    }

    /// <summary>The <c>COMMENT ON</c> statements of the table and its columns, for <paramref name="table"/>.</summary>
    public IEnumerable<string> CommentStatements(string table)
    {
        if (Comment is not null)
            yield return $"COMMENT ON TABLE {table} IS {Identifiers.StandardLiteral(Comment)}";
        foreach (var c in ColumnComments)
            yield return $"COMMENT ON COLUMN {table}.{Identifiers.QuoteAlways(c.Name)} IS {Identifiers.StandardLiteral(c.Sql)}";
    }

    /// <summary>The column list a restore writes, quoted.</summary>
    public string WrittenColumnList() => string.Join(", ", WrittenColumns.Select(c => Identifiers.QuoteAlways(c.Name)));
}
