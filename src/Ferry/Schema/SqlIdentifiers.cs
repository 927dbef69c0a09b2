using System.Text;

namespace Ferry.Schema;

/// <summary>
/// The column names a PostgreSQL expression (an index element, a check, a key's definition) mentions, found by
/// tokens: string literals, function names and type names after <c>::</c> are not columns.
/// </summary>
internal static class SqlIdentifiers
{
    /// <summary><paramref name="sql"/> with each column named by a key of <paramref name="renames"/> (target names) named by its value.</summary>
    public static string Rename(string sql, IReadOnlyDictionary<string, string> renames)
    {
        if (renames.Count == 0)
            return sql;
        var result = new StringBuilder(sql.Length);
        var copied = 0;
        foreach (var (start, length, name) in Columns(sql))
        {
            if (!renames.TryGetValue(name, out var renamed))
                continue;
            result.Append(sql, copied, start - copied).Append(Identifiers.Quote(renamed));
            copied = start + length;
        }

        return result.Append(sql, copied, sql.Length - copied).ToString();
    }

    /// <summary>The first of <paramref name="names"/> (target names) that <paramref name="sql"/> mentions as a column; null when none.</summary>
    public static string? Mentioned(string? sql, IReadOnlyCollection<string> names) =>
        sql is null || names.Count == 0 ? null : Columns(sql).Select(c => c.Name).FirstOrDefault(names.Contains);

    /// <summary>The identifiers that may name a column: each one's position, length and name (a bare one folded to lower case).</summary>
    static IEnumerable<(int Start, int Length, string Name)> Columns(string sql)
    {
        for (var i = 0; i < sql.Length;)
        {
            var c = sql[i];
            if (c == '\'')
            {
                i = Closing(sql, i, '\'');
            }
            else if (c == '"')
            {
                var end = Closing(sql, i, '"');
                if (!Called(sql, i, end))
                    yield return (i, end - i, sql[(i + 1)..(end - 1)].Replace("\"\"", "\"", StringComparison.Ordinal));
                i = end;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var end = i + 1;
                while (end < sql.Length && (char.IsLetterOrDigit(sql[end]) || sql[end] is '_' or '$'))
                    end++;
                if (!Called(sql, i, end))
                    yield return (i, end - i, sql[i..end].ToLowerInvariant());
                i = end;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>The position after the quote that closes the one at <paramref name="open"/> (a doubled quote is part of the text).</summary>
    static int Closing(string sql, int open, char quote)
    {
        for (var i = open + 1; i < sql.Length; i++)
        {
            if (sql[i] != quote)
                continue;
            if (i + 1 < sql.Length && sql[i + 1] == quote)
                i++;
            else
                return i + 1;
        }

        return sql.Length;
    }

    /// <summary>Whether the identifier is a function's name (followed by <c>(</c>), or a type's (after <c>::</c>).</summary>
    static bool Called(string sql, int start, int end)
    {
        var next = end;
        while (next < sql.Length && char.IsWhiteSpace(sql[next]))
            next++;
        var previous = start - 1;
        while (previous >= 0 && char.IsWhiteSpace(sql[previous]))
            previous--;
        return (next < sql.Length && sql[next] == '(') || (previous >= 0 && sql[previous] == ':');
    }
}
