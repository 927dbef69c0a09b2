using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.DuckDb;

/// <summary>SQL text as DuckDB renders it (a view's query, a column default), made for PostgreSQL.</summary>
internal static class DuckDbSqlText
{
    /// <summary>
    /// <paramref name="sql"/> with each <c>'…'</c> string written by <see cref="Identifiers.Literal"/>: DuckDB's
    /// strings never escape (<c>'a\'</c> is <c>a\</c>), and PostgreSQL's must read the same whatever its
    /// standard_conforming_strings. Quoted names and comments stay as they are.
    /// </summary>
    public static string WithPostgresStrings(string sql)
    {
        var sb = new StringBuilder(sql.Length + 8);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            int end;
            if (c == '\'')
            {
                var value = new StringBuilder();
                end = i + 1;
                while (end < sql.Length && !(sql[end] == '\'' && (end + 1 >= sql.Length || sql[end + 1] != '\'')))
                {
                    value.Append(sql[end]);
                    end += sql[end] == '\'' ? 2 : 1;
                }

                sb.Append(Identifiers.Literal(value.ToString()));
                i = Math.Min(end + 1, sql.Length);
                continue;
            }

            if (c == '"')
                end = QuotedNameEnd(sql, i);
            else if (c == '-' && next == '-')
                end = sql.IndexOf('\n', i) is var newline and >= 0 ? newline : sql.Length;
            else if (c == '/' && next == '*')
                end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : sql.Length;
            else
                end = i + 1;
            sb.Append(sql, i, end - i);
            i = end;
        }

        return sb.ToString();
    }

    static int QuotedNameEnd(string sql, int open)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '"' && (i + 1 >= sql.Length || sql[i + 1] != '"'))
                return i + 1;
            i += sql[i] == '"' ? 2 : 1;
        }

        return sql.Length;
    }
}
