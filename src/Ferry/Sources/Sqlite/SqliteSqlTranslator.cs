using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Translates SQLite expressions and SELECTs (views, CHECKs, generated columns, index expressions) to
/// PostgreSQL, token by token: identifiers ([x], `x`, "x", bare) through the naming rule and quoted where
/// needed, SQLite functions to their PostgreSQL equivalents, SQLite-only operators rewritten. What has no
/// faithful translation is reported as a problem, never guessed.
/// </summary>
internal sealed class SqliteSqlTranslator(NamingRule names)
{
    static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "select", "distinct", "all", "from", "where", "group", "by", "having", "order", "asc", "desc", "limit", "offset",
        "union", "intersect", "except", "join", "inner", "left", "right", "full", "outer", "cross", "natural", "on",
        "using", "as", "and", "or", "not", "null", "is", "in", "between", "like", "escape", "case", "when", "then",
        "else", "end", "exists", "true", "false", "with", "over", "isnull", "notnull", "collate", "current_date",
        "current_time", "current_timestamp", "glob", "regexp", "match",
    };

    /// <summary>Words that are keywords only in some places and good column names elsewhere (first, last, row…).</summary>
    static readonly HashSet<string> WindowWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "partition", "rows", "range", "groups", "preceding", "following", "unbounded", "current", "row", "exclude", "ties", "others",
    };

    bool IsKeyword(IReadOnlyList<SqlToken> tokens, int i, int end, bool inWindow)
    {
        var t = tokens[i];
        if (t.Kind != SqlTokenKind.Word)
            return false;
        if (Keywords.Contains(t.Text))
            return true;
        SqlToken? previous = i > 0 ? tokens[i - 1] : null;
        SqlToken? next = i + 1 < end ? tokens[i + 1] : null;
        return t.Text.ToLowerInvariant() switch
        {
            "first" or "last" => previous is { } p && p.IsWord("nulls"),
            "nulls" => next is { } n && (n.IsWord("first") || n.IsWord("last")),
            "filter" => next is { } n && n.IsSymbol("(") && previous is { } p && p.IsSymbol(")"),
            "values" => next is { } n && n.IsSymbol("("),
            "recursive" => previous is { } p && p.IsWord("with"),
            _ => inWindow && WindowWords.Contains(t.Text),
        };
    }

    /// <summary>Source names of the columns the last translation referred to (bare or quoted identifiers).</summary>
    public HashSet<string> Identifiers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Function names the last translation used (SQLite spelling, lower case).</summary>
    public HashSet<string> Functions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Problem { get; private set; }

    /// <summary>Every table, view and column name of the source; when known, a "quoted" word outside it is a string, as SQLite reads it.</summary>
    public HashSet<string> KnownNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    readonly HashSet<string> _aliases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Source names of columns that are boolean in PostgreSQL: <c>active = 1</c> becomes <c>active = true</c>.</summary>
    public HashSet<string> BooleanColumns => Scope.BooleanColumns;

    /// <summary>The column types the translated SQL can see, for SQLite's implicit conversions.</summary>
    public SqliteColumnScope Scope { get; } = new();

    /// <summary>
    /// Translating an index's key: lower()/upper() stay PostgreSQL's own (which also fold non-ASCII letters), so that the
    /// application's queries written with them can use the index; elsewhere they fold ASCII letters only, as SQLite's.
    /// </summary>
    public bool IndexKey { get; set; }

    SqliteFunctions? _calls;

    internal bool Failed => Problem is not null;

    /// <summary>The PostgreSQL text of an expression or SELECT, or null with <see cref="Problem"/> set.</summary>
    public string? Translate(IReadOnlyList<SqlToken> tokens)
    {
        Identifiers.Clear();
        Functions.Clear();
        Problem = null;
        _aliases.Clear();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i - 1].IsWord("as") && tokens[i].IsName)
                _aliases.Add(tokens[i].Text);
        }

        Scope.Enter(tokens);
        var converted = SqliteImplicitConversions.Apply(tokens, Scope, out var problem);
        if (converted is null)
        {
            Problem = problem;
            return null;
        }

        var result = TranslateRange(converted, 0, converted.Count);
        return Problem is null ? result : null;
    }

    public string? Translate(string sql) => Translate(SqliteLexer.Tokenize(sql));

    /// <summary>
    /// The PostgreSQL name (<c>column_N</c>) of the column named "" in the table whose CHECKs, indexes and generated
    /// columns are being translated; null elsewhere (a view's "" could be any table's).
    /// </summary>
    public string? UnnamedColumn { get; set; }

    /// <summary>A name as PostgreSQL will know it: through the naming rule, quoted where needed.</summary>
    public string Name(string sourceName)
    {
        if (sourceName.Length > 0)
            return Schema.Identifiers.Quote(names.Apply(sourceName));
        Problem ??= UnnamedColumn is null ? "it names a column without a name, which PostgreSQL names cannot be; recreate it by hand" : null;
        return Schema.Identifiers.Quote(UnnamedColumn ?? "");
    }

    internal string TranslateRange(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var output = new List<SqlToken>();
        var depth = 0;
        int? window = null; // the parenthesis depth of an OVER (…) clause being read
        for (var i = start; i < end && Problem is null; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")") && --depth < window)
            {
                window = null;
            }
            else if (t.IsWord("over") && i + 1 < end && tokens[i + 1].IsSymbol("("))
            {
                window = depth + 1;
            }

            var keyword = IsKeyword(tokens, i, end, window is { } w && depth >= w);
            switch (t.Kind)
            {
                case SqlTokenKind.Word when i + 1 < end && tokens[i + 1].IsSymbol("(") && !keyword:
                {
                    var close = SqliteLexer.MatchingParen(tokens, i + 1);
                    if (close < 0 || close >= end)
                        return Fail("unbalanced parentheses");
                    if (close + 2 < end && tokens[close + 1].IsWord("as") && tokens[close + 2].IsSymbol("("))
                    {
                        // A common table expression with its column list: name(a, b) AS (…).
                        var names = SqliteLexer.SplitTopLevel(tokens, i + 2, close).Select(c => c.Count == 1 ? Name(c[0].Text) : "?");
                        output.Add(Raw(Name(t.Text) + "(" + string.Join(", ", names) + ")"));
                        i = close;
                        break;
                    }

                    var call = (_calls ??= new SqliteFunctions(this, Scope)).Call(t.Text, tokens, i + 2, close);
                    i = close;
                    // A window function's OVER (…) follows; it is translated as ordinary tokens.
                    output.Add(Raw(call));
                    break;
                }

                case SqlTokenKind.Word when keyword:
                    i = Keyword(tokens, i, end, output);
                    break;
                case SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier:
                    if (t.Kind == SqlTokenKind.Word && t.Text.ToLowerInvariant() is "rowid" or "oid" or "_rowid_")
                        return Fail($"it uses SQLite's {t.Text}, which PostgreSQL tables do not have");
                    if (t.IsName && t.Text.ToLowerInvariant() is "main" or "temp" && i + 2 < end && tokens[i + 1].IsSymbol("."))
                    {
                        i++; // main.table: the schema is SQLite's; the table lands in the target schema
                        break;
                    }

                    if (t.DoubleQuoted && KnownNames.Count > 0 && !KnownNames.Contains(t.Text) && !_aliases.Contains(t.Text)
                        && !(i > start && tokens[i - 1].IsWord("as")) && !(i + 1 < end && tokens[i + 1].IsSymbol(".")))
                    {
                        // SQLite reads a "quoted" word that names nothing as a string (a documented misfeature apps rely on).
                        output.Add(Raw(Schema.Identifiers.Literal(t.Text)));
                        break;
                    }

                    Identifiers.Add(t.Text);
                    output.Add(Raw(Name(t.Text)));
                    if (BooleanColumns.Contains(t.Text) && i + 2 < end && tokens[i + 1].Kind == SqlTokenKind.Symbol
                        && tokens[i + 1].Text is "=" or "==" or "!=" or "<>" && tokens[i + 2] is { Kind: SqlTokenKind.Number, Text: "0" or "1" } bit)
                    {
                        // SQLite booleans are 0/1 integers; in PostgreSQL the column is boolean.
                        output.Add(new SqlToken(SqlTokenKind.Symbol, tokens[i + 1].Text == "==" ? "=" : tokens[i + 1].Text));
                        output.Add(KeywordToken(bit.Text == "1" ? "true" : "false"));
                        i += 2;
                    }

                    break;
                case SqlTokenKind.String:
                    output.Add(Raw(Schema.Identifiers.Literal(t.Text)));
                    break;
                case SqlTokenKind.Raw:
                    output.Add(t);
                    break;
                case SqlTokenKind.Number:
                    output.Add(Raw(NumberText(t.Text)));
                    break;
                case SqlTokenKind.Blob:
                    output.Add(Raw(Schema.Identifiers.ByteaLiteral(t.Text)));
                    break;
                case SqlTokenKind.Parameter:
                    return Fail($"it has a parameter {t.Text}");
                default:
                    if (t.Text is "->" or "->>")
                        return Fail($"SQLite's JSON operator {t.Text} has no direct PostgreSQL translation here");
                    output.Add(t.Text == "==" ? Raw("=") : t);
                    break;
            }
        }

        return SqliteLexer.Join(output);
    }

    static SqlToken Raw(string sql) => new(SqlTokenKind.Word, sql);

    /// <summary>Keywords are joined like operators: "IN (", not "IN(".</summary>
    static SqlToken KeywordToken(string sql) => new(SqlTokenKind.Symbol, sql);

    internal string Fail(string problem)
    {
        Problem ??= problem;
        return "";
    }

    static string NumberText(string number) =>
        number.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(number.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
            : number;

    /// <summary>Keywords, with SQLite's own meanings rewritten. Returns the index of the last token consumed.</summary>
    int Keyword(IReadOnlyList<SqlToken> tokens, int i, int end, List<SqlToken> output)
    {
        var word = tokens[i].Text.ToUpperInvariant();
        SqlToken? Next(int k) => i + k < end ? tokens[i + k] : null;
        switch (word)
        {
            case "GLOB" or "REGEXP" or "MATCH":
                Fail($"SQLite's {word} operator has no faithful PostgreSQL translation");
                return i;
            case "COLLATE":
                // Collations are SQLite's (NOCASE, RTRIM, BINARY): PostgreSQL has none of those names.
                return i + 1;
            case "CURRENT_TIMESTAMP":
                output.Add(Raw(SqliteNow.Sql(SqliteNow.Kind.Timestamp, local: false)));
                return i;
            case "CURRENT_DATE":
                output.Add(Raw(SqliteNow.Sql(SqliteNow.Kind.Date, local: false)));
                return i;
            case "CURRENT_TIME":
                output.Add(Raw(SqliteNow.Sql(SqliteNow.Kind.Time, local: false)));
                return i;
            case "IS":
            {
                // SQLite's IS compares any two values null-safely; PostgreSQL's only tests NULL/TRUE/FALSE.
                var negated = Next(1) is { } n && n.IsWord("not");
                var operand = Next(negated ? 2 : 1);
                if (operand is { } o && (o.IsWord("null") || o.IsWord("true") || o.IsWord("false") || o.IsWord("unknown") || o.IsWord("distinct")))
                {
                    output.Add(KeywordToken(negated ? "IS NOT" : "IS"));
                }
                else
                {
                    output.Add(KeywordToken(negated ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM"));
                }

                return negated ? i + 1 : i;
            }

            case "LIMIT":
            {
                if (Next(1) is { } minus && minus.IsSymbol("-") && Next(2) is { Kind: SqlTokenKind.Number, Text: "1" })
                {
                    output.Add(KeywordToken("LIMIT ALL")); // SQLite's LIMIT -1: no limit
                    return i + 2;
                }

                // SQLite's LIMIT offset, count.
                if (Next(1) is { Kind: SqlTokenKind.Number } a && Next(2) is { } comma && comma.IsSymbol(",") && Next(3) is { Kind: SqlTokenKind.Number } b)
                {
                    output.Add(KeywordToken($"LIMIT {b.Text} OFFSET {a.Text}"));
                    return i + 3;
                }

                output.Add(KeywordToken(word));
                return i;
            }

            default:
                output.Add(KeywordToken(word));
                return i;
        }
    }
}
