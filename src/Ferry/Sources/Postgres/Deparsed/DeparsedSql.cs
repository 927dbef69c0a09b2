using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.Postgres.Deparsed;

/// <summary>
/// Rewrites the SQL that PostgreSQL deparses (defaults, generated columns, constraints, index definitions) to the
/// target's names, token by token: only column references and regclass literals change, everything else is kept
/// as the server wrote it.
/// </summary>
internal static class DeparsedSql
{
    /// <summary>
    /// Every column reference whose name is a key of <paramref name="renames"/> becomes the new name, quoted as
    /// PostgreSQL needs it; see <see cref="ColumnReferences"/> for what is not a reference.
    /// </summary>
    public static string RenameColumns(string sql, IReadOnlyDictionary<string, string> renames)
    {
        if (renames.Count == 0)
            return sql;
        var tokens = DeparsedSqlLexer.Tokenize(sql);
        var edits = new List<(DeparsedToken Token, string Text)>();
        foreach (var index in ColumnReferences.Find(tokens))
        {
            if (renames.TryGetValue(tokens[index].Value, out var renamed))
                edits.Add((tokens[index], Identifiers.Quote(renamed)));
        }

        return Splice(sql, edits);
    }

    /// <summary>
    /// Every <c>'…'::regclass</c> literal (as in <c>nextval('"Forecasts".seq'::regclass)</c>) naming a relation that
    /// <paramref name="map"/> maps becomes the new relation, schema-qualified. An unqualified name means
    /// <paramref name="defaultSchema"/>; <paramref name="map"/> returns null to keep a relation as it is.
    /// </summary>
    public static string RenameRelations(string sql, string defaultSchema, Func<string, string, (string Schema, string Name)?> map)
    {
        var tokens = DeparsedSqlLexer.Tokenize(sql);
        var edits = new List<(DeparsedToken Token, string Text)>();
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (tokens[i].Kind != DeparsedTokenKind.String || !tokens[i + 1].IsPunctuation("::")
                || tokens[i + 2] is not { Kind: DeparsedTokenKind.Word, Text: "regclass" }
                || i + 3 < tokens.Count && tokens[i + 3].IsPunctuation("["))
                continue;
            // regclass also reads a bare OID; the deparser only writes one for a relation that no longer exists.
            if (tokens[i].Value.Length > 0 && tokens[i].Value.All(char.IsAsciiDigit))
                continue;
            var (schema, name) = ParseRegclass(tokens[i].Value, defaultSchema, sql);
            if (map(schema, name) is { } mapped)
                edits.Add((tokens[i], Identifiers.Literal(Identifiers.Qualify(mapped.Schema, mapped.Name))));
        }

        return Splice(sql, edits);
    }

    /// <summary>
    /// A relation name as regclass input reads it: dot-separated parts, each double-quoted (<c>""</c> inside) or bare
    /// (folded to lower case, ASCII only, as PostgreSQL folds); a third, leading part names the database.
    /// </summary>
    internal static (string Schema, string Name) ParseRegclass(string text, string defaultSchema, string sql)
    {
        var parts = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            var part = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= text.Length)
                        throw Invalid(text, sql, "an unterminated quoted name");
                    if (text[i] == '"' && !(i + 1 < text.Length && text[i + 1] == '"'))
                        break;
                    part.Append(text[i]);
                    if (text[i] == '"')
                        i++;
                }

                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != '.' && !char.IsWhiteSpace(text[i]); i++)
                    part.Append(char.IsAsciiLetterUpper(text[i]) ? char.ToLowerInvariant(text[i]) : text[i]);
            }

            if (part.Length == 0)
                throw Invalid(text, sql, "an empty name part");
            parts.Add(part.ToString());
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i == text.Length)
                break;
            if (text[i] != '.')
                throw Invalid(text, sql, $"'{text[i]}' where a '.' or the end was expected");
            i++;
        }

        return parts.Count switch
        {
            1 => (defaultSchema, parts[0]),
            2 => (parts[0], parts[1]),
            3 => (parts[1], parts[2]),
            _ => throw Invalid(text, sql, "more than three name parts"),
        };
    }

    static FerryException Invalid(string text, string sql, string what) =>
        new($"Cannot read the relation name '{text}' of a regclass literal: {what}, in: {sql}");

    internal static string Splice(string sql, List<(DeparsedToken Token, string Text)> edits)
    {
        if (edits.Count == 0)
            return sql;
        var result = new StringBuilder(sql.Length + 16 * edits.Count);
        var copied = 0;
        foreach (var (token, text) in edits)
        {
            result.Append(sql, copied, token.Start - copied).Append(text);
            copied = token.End;
        }

        return result.Append(sql, copied, sql.Length - copied).ToString();
    }
}
