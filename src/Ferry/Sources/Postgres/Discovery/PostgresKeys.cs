using Ferry.Schema;
using Ferry.Sources.Postgres.Deparsed;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// Primary, unique and exclusion constraints in the server's words (pg_get_constraintdef): what a column list loses
/// (INCLUDE, NULLS NOT DISTINCT, WITH (…), DEFERRABLE, an exclusion's operators and predicate) is kept.
/// </summary>
internal static class PostgresKeys
{
    /// <summary>The key with its definition: column references renamed, the tablespace clause left out (the target has none of the source's).</summary>
    public static KeyModel Key(string name, IReadOnlyList<string> columns, string definition, string[]? indexOptions, string? comment, PostgresNames names, IReadOnlyDictionary<string, string> renames) =>
        new(name, columns) { Definition = names.Rewrite(WithOptions(WithoutTablespace(definition), indexOptions), renames), Comment = comment };

    /// <summary>
    /// The definition with its index's storage options: pg_get_constraintdef leaves them out for a partitioned table's
    /// key, so they are written after the column (and INCLUDE) list, where the grammar has them.
    /// </summary>
    internal static string WithOptions(string definition, string[]? options)
    {
        if (options is not { Length: > 0 })
            return definition;
        var tokens = DeparsedSqlLexer.Tokenize(definition);
        if (Enumerable.Range(0, tokens.Count - 1).Any(i => tokens[i].IsKeyword("WITH") && tokens[i + 1].IsPunctuation("(")))
            return definition; // written already
        var open = tokens.FindIndex(t => t.IsPunctuation("("));
        if (open < 0)
            return definition;
        var end = ColumnReferences.SkipGroup(tokens, open) - 1;
        if (end + 2 < tokens.Count && tokens[end + 1].IsKeyword("INCLUDE") && tokens[end + 2].IsPunctuation("("))
            end = ColumnReferences.SkipGroup(tokens, end + 2) - 1;
        var with = " WITH (" + string.Join(", ", options.Select(QuotedOption)) + ")";
        return definition[..tokens[end].End] + with + definition[tokens[end].End..];
    }

    /// <summary>The definition without its <c>USING INDEX TABLESPACE name</c> clause (outside any parentheses).</summary>
    internal static string WithoutTablespace(string definition)
    {
        var tokens = DeparsedSqlLexer.Tokenize(definition);
        var depth = 0;
        for (var i = 0; i + 3 < tokens.Count; i++)
        {
            if (tokens[i].IsPunctuation("("))
                depth++;
            else if (tokens[i].IsPunctuation(")"))
                depth--;
            else if (depth == 0 && tokens[i].IsKeyword("USING") && tokens[i + 1].IsKeyword("INDEX") && tokens[i + 2].IsKeyword("TABLESPACE") && tokens[i + 3].IsIdentifier)
            {
                var before = definition[..tokens[i].Start].TrimEnd();
                var after = definition[tokens[i + 3].End..].TrimStart();
                return after.Length == 0 ? before : before + " " + after;
            }
        }

        return definition;
    }

    /// <summary>A storage option <c>name=value</c> as reloptions hold it, its value quoted (<c>check_option='local'</c>).</summary>
    internal static string QuotedOption(string option)
    {
        var eq = option.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 ? option : option[..eq] + "=" + Identifiers.Literal(option[(eq + 1)..]);
    }
}
