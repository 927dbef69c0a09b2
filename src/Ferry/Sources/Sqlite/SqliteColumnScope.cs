using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>What an operand is to SQLite's conversions: its PostgreSQL column type's class, or a literal's.</summary>
internal enum OperandKind
{
    Unknown,
    Text,
    Integer,
    Real,
    Numeric,
    Boolean,
    Blob,
    Temporal,
    Null,
}

/// <summary>
/// The column types a translated expression can see: every table's columns as the copy creates them, and the
/// tables (with their aliases) that a SELECT names. Resolves <c>col</c> and <c>alias.col</c> to a type, so that
/// comparisons and text operators can be given SQLite's meaning in PostgreSQL.
/// </summary>
internal sealed class SqliteColumnScope
{
    readonly Dictionary<string, Dictionary<string, PgType>> _tables = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, string> _aliases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Source names of columns that are boolean in PostgreSQL (SQLite's 0/1).</summary>
    public HashSet<string> BooleanColumns { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The table a CHECK, index or generated column belongs to: its columns are in scope without a FROM.</summary>
    public string? DefaultTable { get; set; }

    public void Add(string table, IEnumerable<ColumnModel> columns) =>
        _tables[table] = columns.ToDictionary(c => c.SourceName, c => c.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads which tables (and aliases) a statement names.</summary>
    public void Enter(IReadOnlyList<SqlToken> tokens)
    {
        _aliases.Clear();
        if (DefaultTable is { } own)
            _aliases[own] = own;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsName || !_tables.ContainsKey(tokens[i].Text) || (i + 1 < tokens.Count && tokens[i + 1].IsSymbol("(")))
                continue;
            if (i > 0 && tokens[i - 1].IsSymbol("."))
                continue;
            _aliases[tokens[i].Text] = tokens[i].Text;
            var next = i + 1 < tokens.Count && tokens[i + 1].IsWord("as") ? i + 2 : i + 1;
            if (next < tokens.Count && tokens[next].IsName && !IsClauseWord(tokens[next]) && !(next + 1 < tokens.Count && tokens[next + 1].IsSymbol(".")))
                _aliases[tokens[next].Text] = tokens[i].Text;
        }
    }

    static bool IsClauseWord(SqlToken t) => t.Kind == SqlTokenKind.Word && t.Text.ToLowerInvariant() is
        "where" or "join" or "inner" or "left" or "right" or "full" or "cross" or "natural" or "on" or "using" or "group" or "order"
        or "limit" or "union" or "intersect" or "except" or "having" or "window" or "set" or "values" or "indexed" or "not";

    /// <summary>The type of a column reference (<c>col</c>, <c>t.col</c>), or null when it is none or ambiguous.</summary>
    public PgType? TypeOf(IReadOnlyList<SqlToken> operand)
    {
        if (operand is [{ IsName: true } bare])
        {
            var types = _aliases.Values.Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(t => _tables[t].GetValueOrDefault(bare.Text)).Where(t => t is not null).Distinct().ToList();
            return types.Count == 1 ? types[0] : null;
        }

        if (operand is [{ IsName: true } qualifier, { Kind: SqlTokenKind.Symbol, Text: "." }, { IsName: true } column]
            && _aliases.TryGetValue(qualifier.Text, out var table))
            return _tables[table].GetValueOrDefault(column.Text);
        return null;
    }

    /// <summary>What SQLite's conversions see in an operand: a literal's class or a column's type.</summary>
    public OperandKind KindOf(IReadOnlyList<SqlToken> operand)
    {
        var tokens = operand is [{ Kind: SqlTokenKind.Symbol, Text: "-" or "+" }, { Kind: SqlTokenKind.Number }] ? operand.Skip(1).ToList() : operand;
        switch (tokens)
        {
            case [{ Kind: SqlTokenKind.String }]:
                return OperandKind.Text;
            case [{ Kind: SqlTokenKind.Number } n]:
                return IsInteger(n.Text) ? OperandKind.Integer : OperandKind.Real;
            case [{ Kind: SqlTokenKind.Blob }]:
                return OperandKind.Blob;
            case [{ Kind: SqlTokenKind.Word } w] when w.IsWord("null"):
                return OperandKind.Null;
        }

        if ((operand is [{ IsName: true }] || operand is [{ IsName: true }, { Kind: SqlTokenKind.Symbol, Text: "." }, { IsName: true }]) && BooleanColumns.Contains(operand[^1].Text))
            return OperandKind.Boolean;
        return TypeOf(operand)?.Kind switch
        {
            null => OperandKind.Unknown,
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Uuid or PgTypeKind.Json or PgTypeKind.Jsonb or PgTypeKind.Enum => OperandKind.Text,
            PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt => OperandKind.Integer,
            PgTypeKind.Real or PgTypeKind.DoublePrecision => OperandKind.Real,
            PgTypeKind.Numeric => OperandKind.Numeric,
            PgTypeKind.Boolean => OperandKind.Boolean,
            PgTypeKind.Bytea => OperandKind.Blob,
            PgTypeKind.Date or PgTypeKind.Time or PgTypeKind.TimeTz or PgTypeKind.Timestamp or PgTypeKind.TimestampTz => OperandKind.Temporal,
            _ => OperandKind.Unknown,
        };
    }

    static bool IsInteger(string number) =>
        number.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || number.All(char.IsAsciiDigit);
}
