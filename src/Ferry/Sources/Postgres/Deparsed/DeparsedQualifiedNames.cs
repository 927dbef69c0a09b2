using Ferry.Schema;

namespace Ferry.Sources.Postgres.Deparsed;

/// <summary>
/// Rewrites the schema-qualified names in SQL the server wrote with <c>search_path</c> = pg_catalog (a type after
/// <c>::</c>, a function called, a trigger's table, a type in a function's signature) to the target's names.
/// </summary>
internal static class DeparsedQualifiedNames
{
    /// <summary>
    /// Every <c>a.b</c> (two identifiers joined by a dot, not part of a longer dotted name or a field of a
    /// parenthesized value) that <paramref name="map"/> maps becomes the new pair, quoted as PostgreSQL needs it;
    /// <paramref name="map"/> returns null to keep a name as it is.
    /// </summary>
    public static string Rename(string sql, Func<string, string, (string First, string Second)?> map)
    {
        var tokens = DeparsedSqlLexer.Tokenize(sql);
        var edits = new List<(DeparsedToken Token, string Text)>();
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (!tokens[i].IsIdentifier || !tokens[i + 1].IsPunctuation(".") || !tokens[i + 2].IsIdentifier
                || i > 0 && tokens[i - 1].IsPunctuation(".") || i + 3 < tokens.Count && tokens[i + 3].IsPunctuation("."))
                continue;
            if (map(tokens[i].Value, tokens[i + 2].Value) is { } mapped)
            {
                var span = sql[tokens[i].Start..tokens[i + 2].End];
                edits.Add((new DeparsedToken(DeparsedTokenKind.Word, tokens[i].Start, span, span), Identifiers.Qualify(mapped.First, mapped.Second)));
            }

            i += 2;
        }

        return DeparsedSql.Splice(sql, edits);
    }
}
