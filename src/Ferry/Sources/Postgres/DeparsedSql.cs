using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.Postgres;

/// <summary>
/// Rewrites the SQL that PostgreSQL deparses (defaults, generated columns, constraints, index definitions) to the
/// target's names, token by token: only column references change, everything else is kept
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

    static string Splice(string sql, List<(DeparsedToken Token, string Text)> edits)
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
