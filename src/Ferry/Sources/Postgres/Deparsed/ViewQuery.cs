using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.Postgres.Deparsed;

/// <summary>
/// Rewrites a view's query as pg_get_viewdef writes it (search_path = pg_catalog) to the target's names: a qualified
/// relation in FROM/JOIN position (<c>"Forecasts".curve_definitions c</c>) becomes its target relation, and a column
/// reference (<c>c.capacity</c>, always qualified by the deparser with its relation's alias or name) of a renamed
/// column becomes the new name. What the query's output names depended on is kept: a relation without an alias
/// whose name changes gets its old name as alias, and a target entry that was a bare renamed column gets
/// <c>AS old_name</c>. Aliases resolve in their query level and the levels around it, as PostgreSQL resolves them.
/// </summary>
internal static class ViewQuery
{
    /// <summary>Keywords that end a SELECT's target list or FROM clause at its level.</summary>
    static readonly HashSet<string> ClauseEnds = new(StringComparer.Ordinal)
    {
        "WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "FETCH", "FOR", "INTO",
    };

    enum FrameKind
    {
        /// <summary>A SELECT (the view's, a subquery's, a CTE's): a scope of its own.</summary>
        Query,

        /// <summary>A parenthesized join tree in a FROM clause.</summary>
        JoinTree,

        /// <summary>Anything else in parentheses: an expression, arguments, a column alias list.</summary>
        Expression,
    }

    sealed class Scope(Scope? parent)
    {
        /// <summary>The aliases of this level's FROM items → their relation's column renames (null: none apply).</summary>
        public Dictionary<string, IReadOnlyDictionary<string, string>?> Aliases { get; } = new(StringComparer.Ordinal);

        public Scope? Parent => parent;

        public IReadOnlyDictionary<string, string>? Renames(string alias)
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
            {
                if (scope.Aliases.TryGetValue(alias, out var renames))
                    return renames;
            }

            return null;
        }
    }

    sealed class Frame(FrameKind kind, Scope scope)
    {
        public FrameKind Kind => kind;
        public Scope Scope { get; set; } = scope;
        public bool SawSelect { get; set; }
        public bool InTargets { get; set; }
        public bool EntryNext { get; set; }
        public bool InFrom { get; set; } = kind == FrameKind.JoinTree;
        public bool ExpectItem { get; set; } = kind == FrameKind.JoinTree;
        public IReadOnlyDictionary<string, string>? LastRenames { get; set; }
    }

    readonly record struct Edit(int Start, int End, string Text);

    /// <param name="sql">The query as pg_get_viewdef writes it.</param>
    /// <param name="relations">A relation's target (schema, name), or null to keep it.</param>
    /// <param name="columns">A relation's column renames (source → target), or null when none.</param>
    public static string Rename(string sql, Func<string, string, (string Schema, string Name)?> relations, Func<string, string, IReadOnlyDictionary<string, string>?> columns)
    {
        var tokens = DeparsedSqlLexer.Tokenize(sql);
        var scopes = new Scope[tokens.Count];
        var entryStarts = new HashSet<int>();
        var relationTokens = new HashSet<int>();
        var edits = new List<Edit>();
        var stack = new Stack<Frame>();
        stack.Push(new Frame(FrameKind.Query, new Scope(null)));
        for (var i = 0; i < tokens.Count; i++)
        {
            var frame = stack.Peek();
            var token = tokens[i];
            if (frame.Kind == FrameKind.Query && token.IsKeyword("SELECT"))
            {
                // A set operation's next SELECT: its aliases are its own.
                if (frame.SawSelect)
                    frame.Scope = new Scope(frame.Scope.Parent);
                (frame.SawSelect, frame.InTargets, frame.EntryNext, frame.InFrom, frame.ExpectItem) = (true, true, true, false, false);
                scopes[i] = frame.Scope;
                continue;
            }

            scopes[i] = frame.Scope;
            if (frame.EntryNext)
            {
                var distinctOn = token.IsKeyword("ON") && i > 0 && tokens[i - 1].IsKeyword("DISTINCT")
                    || token.IsPunctuation("(") && i > 1 && tokens[i - 1].IsKeyword("ON") && tokens[i - 2].IsKeyword("DISTINCT");
                if (!token.IsKeyword("DISTINCT") && !distinctOn)
                {
                    entryStarts.Add(i);
                    frame.EntryNext = false;
                }
            }

            if (token.IsPunctuation("("))
            {
                if (i > 0 && tokens[i - 1].IsKeyword("USING") && frame.InFrom)
                    RenameUsing(tokens, i, frame.LastRenames, edits);
                var next = i + 1 < tokens.Count ? tokens[i + 1] : default;
                var kind = next.IsKeyword("SELECT") || next.IsKeyword("WITH") || next.IsKeyword("VALUES") ? FrameKind.Query
                    : frame.ExpectItem ? FrameKind.JoinTree : FrameKind.Expression;
                frame.ExpectItem = false;
                stack.Push(new Frame(kind, kind == FrameKind.Query ? new Scope(frame.Scope) : frame.Scope));
                continue;
            }

            if (token.IsPunctuation(")"))
            {
                if (stack.Count > 1)
                    stack.Pop();
                continue;
            }

            if (frame.Kind == FrameKind.Query)
            {
                if (token.IsKeyword("FROM") && !(i > 0 && tokens[i - 1].IsKeyword("DISTINCT")))
                {
                    (frame.InTargets, frame.EntryNext, frame.InFrom, frame.ExpectItem) = (false, false, true, true);
                    continue;
                }

                if (token.Kind == DeparsedTokenKind.Word && ClauseEnds.Contains(token.Text))
                {
                    (frame.InTargets, frame.EntryNext, frame.InFrom, frame.ExpectItem) = (false, false, false, false);
                    continue;
                }

                if (frame.InTargets && token.IsPunctuation(","))
                    frame.EntryNext = true;
            }

            if (!frame.InFrom)
                continue;
            if (token.IsKeyword("JOIN") || token.IsPunctuation(","))
                frame.ExpectItem = true;
            else if (token.IsKeyword("ON") || token.IsKeyword("USING"))
                frame.ExpectItem = false;
            else if (frame.ExpectItem && token.IsIdentifier && !token.IsUpperCaseWord)
                i = FromItem(tokens, i, frame, relations, columns, relationTokens, edits);
        }

        RenameColumnReferences(tokens, scopes, entryStarts, relationTokens, edits);
        return Splice(sql, edits);
    }

    /// <summary>A FROM item starting at <paramref name="i"/>: a relation (renamed, its alias registered) or a function; returns its last token.</summary>
    static int FromItem(List<DeparsedToken> tokens, int i, Frame frame, Func<string, string, (string Schema, string Name)?> relations,
        Func<string, string, IReadOnlyDictionary<string, string>?> columns, HashSet<int> relationTokens, List<Edit> edits)
    {
        frame.ExpectItem = false;
        var end = ColumnReferences.SkipName(tokens, i) - 1;
        if (end + 1 < tokens.Count && tokens[end + 1].IsPunctuation("("))
            return end; // a function in FROM: its arguments follow
        var schema = end > i ? tokens[end - 2].Value : null;
        var name = tokens[end].Value;
        var k = end + 1;
        if (k < tokens.Count && tokens[k].IsKeyword("AS"))
            k++;
        var hasAlias = k < tokens.Count && tokens[k].IsIdentifier && !tokens[k].IsUpperCaseWord;
        // A column alias list names the columns by position: the table's renames do not reach through it.
        var aliasedColumns = hasAlias && k + 1 < tokens.Count && tokens[k + 1].IsPunctuation("(");
        var renames = schema is null || aliasedColumns ? null : columns(schema, name);
        frame.Scope.Aliases[hasAlias ? tokens[k].Value : name] = renames;
        frame.LastRenames = renames;
        for (var t = i; t <= end; t++)
            relationTokens.Add(t);
        if (schema is not null && relations(schema, name) is { } mapped)
        {
            var text = Identifiers.Qualify(mapped.Schema, mapped.Name);
            if (!hasAlias && mapped.Name != name)
                text += " " + Identifiers.Quote(name); // the column references name it by its old name
            edits.Add(new Edit(tokens[i].Start, tokens[end].End, text));
        }

        return hasAlias ? k : end;
    }

    /// <summary>A join's <c>USING (a, b)</c>: the names are the joined tables' columns, renamed as the last one's are.</summary>
    static void RenameUsing(List<DeparsedToken> tokens, int open, IReadOnlyDictionary<string, string>? renames, List<Edit> edits)
    {
        for (var j = open + 1; j < tokens.Count && !tokens[j].IsPunctuation(")"); j++)
        {
            if (tokens[j].IsIdentifier && renames is not null && renames.TryGetValue(tokens[j].Value, out var renamed))
                edits.Add(new Edit(tokens[j].Start, tokens[j].End, Identifiers.Quote(renamed)));
        }
    }

    static void RenameColumnReferences(List<DeparsedToken> tokens, Scope[] scopes, HashSet<int> entryStarts, HashSet<int> relationTokens, List<Edit> edits)
    {
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (relationTokens.Contains(i) || !tokens[i].IsIdentifier || tokens[i].IsUpperCaseWord || !tokens[i + 1].IsPunctuation(".") || !tokens[i + 2].IsIdentifier)
                continue;
            if (i > 0 && (tokens[i - 1].IsPunctuation(".") || tokens[i - 1].IsPunctuation("::") || tokens[i - 1].IsKeyword("COLLATE")))
                continue;
            if (i + 3 < tokens.Count && (tokens[i + 3].IsPunctuation(".") || tokens[i + 3].IsPunctuation("(")))
                continue; // a qualified function or a longer name
            var column = tokens[i + 2];
            if (scopes[i].Renames(tokens[i].Value) is not { } renames || !renames.TryGetValue(column.Value, out var renamed))
                continue;
            var text = Identifiers.Quote(renamed);
            if (entryStarts.Contains(i) && EndsEntry(tokens, i + 3))
                text += " AS " + Identifiers.Quote(column.Value); // the output column keeps its name
            edits.Add(new Edit(column.Start, column.End, text));
            i += 2;
        }
    }

    static bool EndsEntry(List<DeparsedToken> tokens, int k) =>
        k >= tokens.Count || tokens[k].IsPunctuation(",") || tokens[k].IsPunctuation(")") || tokens[k].IsPunctuation(";")
        || tokens[k].IsKeyword("FROM") || tokens[k].Kind == DeparsedTokenKind.Word && ClauseEnds.Contains(tokens[k].Text);

    static string Splice(string sql, List<Edit> edits)
    {
        if (edits.Count == 0)
            return sql;
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new StringBuilder(sql.Length + 16 * edits.Count);
        var copied = 0;
        foreach (var edit in edits)
        {
            result.Append(sql, copied, edit.Start - copied).Append(edit.Text);
            copied = edit.End;
        }

        return result.Append(sql, copied, sql.Length - copied).ToString();
    }
}
