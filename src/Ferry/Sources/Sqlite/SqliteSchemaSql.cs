namespace Ferry.Sources.Sqlite;

/// <summary>A CHECK constraint as written: its name (if any) and its expression's tokens.</summary>
internal sealed record SqliteCheck(string? Name, List<SqlToken> Expression);

/// <summary>
/// A foreign key clause as written, in declaration order. <see cref="Deferrability"/> is what SQLite makes of its
/// [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE] (which pragma_foreign_key_list does not report): only DEFERRABLE
/// INITIALLY DEFERRED defers; NOT DEFERRABLE INITIALLY DEFERRED is immediate, as in SQLite.
/// </summary>
internal sealed class SqliteForeignKeyClause(List<string> columns, string table)
{
    public List<string> Columns { get; } = columns;

    public string Table { get; } = table;

    public Schema.Deferrability Deferrability { get; set; }

    /// <summary>Reads a defer clause at <paramref name="i"/>, if one starts there; returns the index of its last token.</summary>
    public static int ReadDeferClause(List<SqlToken> part, int i, SqliteForeignKeyClause? target)
    {
        var not = part[i].IsWord("not") && i + 1 < part.Count && part[i + 1].IsWord("deferrable");
        if (!not && !part[i].IsWord("deferrable"))
            return i;
        var last = not ? i + 1 : i;
        var deferred = false;
        if (last + 2 < part.Count && part[last + 1].IsWord("initially") && (part[last + 2].IsWord("deferred") || part[last + 2].IsWord("immediate")))
        {
            deferred = part[last + 2].IsWord("deferred");
            last += 2;
        }

        // SQLite applies a column's defer clause to the foreign key declared last, even one of an earlier column.
        if (target is null)
            return last;
        target.Deferrability = not ? Schema.Deferrability.NotDeferrable
            : deferred ? Schema.Deferrability.InitiallyDeferred
            : Schema.Deferrability.InitiallyImmediate;
        return last;
    }
}

/// <summary>What the pragmas do not tell about a column: its generated expression, CHECKs and AUTOINCREMENT.</summary>
internal sealed class SqliteColumnDefinition
{
    public List<SqlToken>? Generated { get; set; }

    public List<SqliteCheck> Checks { get; } = [];

    public bool Autoincrement { get; set; }
}

/// <summary>The parts of a CREATE TABLE statement the pragmas leave out.</summary>
internal sealed class SqliteCreateTable
{
    public Dictionary<string, SqliteColumnDefinition> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SqliteCheck> Checks { get; } = [];

    public string? PrimaryKeyName { get; set; }

    /// <summary>Foreign keys in declaration order (pragma_foreign_key_list numbers them from the last).</summary>
    public List<SqliteForeignKeyClause> ForeignKeys { get; } = [];

    public bool Autoincrement => Columns.Values.Any(c => c.Autoincrement);

    public SqliteColumnDefinition Column(string name) =>
        Columns.TryGetValue(name, out var c) ? c : Columns[name] = new SqliteColumnDefinition();

    public static SqliteCreateTable Parse(string? sql)
    {
        var result = new SqliteCreateTable();
        if (sql is null)
            return result;
        var tokens = SqliteLexer.Tokenize(sql);
        var open = tokens.FindIndex(t => t.IsSymbol("("));
        var close = open < 0 ? -1 : SqliteLexer.MatchingParen(tokens, open);
        if (close < 0)
            return result;
        foreach (var part in SqliteLexer.SplitTopLevel(tokens, open + 1, close))
        {
            if (part.Count == 0)
                continue;
            var first = part[0];
            var isConstraint = first.Kind == SqlTokenKind.Word &&
                first.Text.ToUpperInvariant() is "CONSTRAINT" or "PRIMARY" or "UNIQUE" or "CHECK" or "FOREIGN";
            if (isConstraint)
                result.TableConstraint(part);
            else if (first.IsName)
                result.ColumnDefinition(first.Text, part);
        }

        return result;
    }

    void TableConstraint(List<SqlToken> part)
    {
        string? name = null;
        var i = 0;
        if (part[0].IsWord("constraint") && part.Count > 1)
        {
            name = part[1].Text;
            i = 2;
        }

        if (i < part.Count && part[i].IsWord("primary"))
            PrimaryKeyName = name;
        else if (i < part.Count && part[i].IsWord("check") && Parenthesized(part, i + 1) is { } expression)
            Checks.Add(new SqliteCheck(name, expression));
        else if (i + 1 < part.Count && part[i].IsWord("foreign") && Parenthesized(part, i + 2) is { } columns)
        {
            var references = part.FindIndex(i, t => t.IsWord("references"));
            if (references < 0 || references + 1 >= part.Count)
                return;
            var fk = new SqliteForeignKeyClause(columns.Where(t => t.IsName).Select(t => t.Text).ToList(), part[references + 1].Text);
            ForeignKeys.Add(fk);
            for (var k = references + 2; k < part.Count; k++)
                k = SqliteForeignKeyClause.ReadDeferClause(part, k, fk);
        }
    }

    void ColumnDefinition(string column, List<SqlToken> part)
    {
        var definition = Column(column);
        string? constraintName = null;
        for (var i = 1; i < part.Count; i++)
        {
            var t = part[i];
            if (t.IsWord("constraint") && i + 1 < part.Count)
            {
                constraintName = part[++i].Text;
            }
            else if (t.IsWord("check") && Parenthesized(part, i + 1) is { } check)
            {
                definition.Checks.Add(new SqliteCheck(constraintName, check));
                constraintName = null;
            }
            else if (t.IsWord("as") && Parenthesized(part, i + 1) is { } generated)
            {
                definition.Generated = generated;
            }
            else if (t.IsWord("autoincrement"))
            {
                definition.Autoincrement = true;
            }
            else if (t.IsWord("references") && i + 1 < part.Count)
            {
                ForeignKeys.Add(new SqliteForeignKeyClause([column], part[++i].Text));
            }
            else
            {
                i = SqliteForeignKeyClause.ReadDeferClause(part, i, ForeignKeys.LastOrDefault());
            }

            if (i < part.Count && part[i].IsSymbol("("))
                i = Math.Max(i, SqliteLexer.MatchingParen(part, i)); // skip over type sizes and expressions
        }
    }

    /// <summary>The tokens inside the parentheses that start at <paramref name="open"/>.</summary>
    internal static List<SqlToken>? Parenthesized(List<SqlToken> tokens, int open)
    {
        if (open >= tokens.Count || !tokens[open].IsSymbol("("))
            return null;
        var close = SqliteLexer.MatchingParen(tokens, open);
        return close < 0 ? null : tokens[(open + 1)..close];
    }
}

/// <summary>CREATE INDEX: its elements (each an expression with ASC/DESC) and its WHERE.</summary>
internal sealed record SqliteCreateIndex(List<(List<SqlToken> Expression, bool Descending, string? Collation)> Elements, List<SqlToken>? Where)
{
    public static SqliteCreateIndex? Parse(string sql)
    {
        var tokens = SqliteLexer.Tokenize(sql);
        var on = tokens.FindIndex(t => t.IsWord("on"));
        if (on < 0 || on + 2 >= tokens.Count)
            return null;
        var open = tokens.FindIndex(on, t => t.IsSymbol("("));
        var close = open < 0 ? -1 : SqliteLexer.MatchingParen(tokens, open);
        if (close < 0)
            return null;
        var elements = new List<(List<SqlToken>, bool, string?)>();
        foreach (var part in SqliteLexer.SplitTopLevel(tokens, open + 1, close))
        {
            var expression = part.ToList();
            var descending = false;
            string? collation = null;
            if (expression.Count > 1 && (expression[^1].IsWord("asc") || expression[^1].IsWord("desc")))
            {
                descending = expression[^1].IsWord("desc");
                expression.RemoveAt(expression.Count - 1);
            }

            if (expression.Count > 2 && expression[^2].IsWord("collate"))
            {
                collation = expression[^1].Text;
                expression.RemoveRange(expression.Count - 2, 2);
            }

            elements.Add((expression, descending, collation));
        }

        List<SqlToken>? where = null;
        if (close + 1 < tokens.Count && tokens[close + 1].IsWord("where"))
            where = tokens[(close + 2)..].Where(t => !t.IsSymbol(";")).ToList();
        return new SqliteCreateIndex(elements, where);
    }
}

/// <summary>CREATE VIEW: its column list (if any) and the SELECT.</summary>
internal sealed record SqliteCreateView(List<string>? Columns, List<SqlToken> Select)
{
    public static SqliteCreateView? Parse(string sql)
    {
        var tokens = SqliteLexer.Tokenize(sql);
        var view = tokens.FindIndex(t => t.IsWord("view"));
        if (view < 0)
            return null;
        var i = view + 1;
        if (i + 2 < tokens.Count && tokens[i].IsWord("if") && tokens[i + 1].IsWord("not") && tokens[i + 2].IsWord("exists"))
            i += 3;
        i++; // the view's name
        if (i + 1 < tokens.Count && tokens[i].IsSymbol("."))
            i += 2; // schema.name
        List<string>? columns = null;
        if (i < tokens.Count && tokens[i].IsSymbol("("))
        {
            var close = SqliteLexer.MatchingParen(tokens, i);
            if (close < 0)
                return null;
            columns = SqliteLexer.SplitTopLevel(tokens, i + 1, close).Select(p => p.Count > 0 ? p[0].Text : "").ToList();
            i = close + 1;
        }

        if (i >= tokens.Count || !tokens[i].IsWord("as"))
            return null;
        var select = tokens[(i + 1)..];
        while (select.Count > 0 && select[^1].IsSymbol(";"))
            select.RemoveAt(select.Count - 1);
        return new SqliteCreateView(columns, select);
    }
}
