namespace Ferry.Migrations.Internal;

/// <summary>
/// Reads the statements of one script in order for <see cref="MigrationAnalyzer"/>: the tables each touches, the objects
/// it creates, the script's own <c>SET search_path</c>, and the statements whose effect on tables cannot be read
/// (<c>DO</c>, <c>CALL</c>, <c>EXECUTE</c>, <c>DROP SCHEMA … CASCADE</c>, <c>DROP OWNED</c>).
/// </summary>
internal sealed class TouchReader
{
    readonly List<TableTouch> _touches = [];
    readonly List<CreatedObject> _created = [];
    readonly List<string> _unknown = [];
    IReadOnlyList<string>? _searchPath;
    SqlTokens _t = null!;
    int _line;

    public ScriptTouches Result => new(_touches, _created, _unknown);

    /// <summary>Reads one statement, which starts on <paramref name="line"/> of the script.</summary>
    public void Read(SqlStatement statement, int line)
    {
        _t = new SqlTokens(statement);
        _line = line;
        Read(0, _t.Count);
    }

    /// <summary>A statement, or a <c>WITH</c> query's body, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    void Read(int from, int to)
    {
        var i = _t.Is(from, "WITH") ? ReadWith(from + 1, to) : from;
        if (i >= to)
            return;
        if (_t.Is(i, "ALTER") && _t.Is(i + 1, "TABLE"))
            AlterTable(i + 2, to);
        else if (_t.Is(i, "DROP"))
            Drop(i + 1, to);
        else if (_t.Is(i, "TRUNCATE"))
            Truncate(i + 1, to);
        else if (_t.Is(i, "UPDATE"))
            Touch(Only(i + 1), TableTouchKind.Update);
        else if (_t.Is(i, "DELETE") && _t.Is(i + 1, "FROM"))
            Touch(Only(i + 2), TableTouchKind.Delete);
        else if (_t.Is(i, "INSERT") && _t.Is(i + 1, "INTO"))
            Touch(i + 2, TableTouchKind.Insert);
        else if (_t.Is(i, "MERGE") && _t.Is(i + 1, "INTO"))
            Touch(Only(i + 2), TableTouchKind.Merge);
        else if (_t.Is(i, "COPY"))
            Copy(i + 1, to);
        else if (_t.Is(i, "CREATE"))
            Create(i + 1, to);
        else if (_t.Is(i, "SELECT"))
            SelectInto(i + 1, to);
        else if (_t.Is(i, "DO"))
            _unknown.Add($"a DO block (line {_line}): the statements inside it are not read");
        else if (_t.Is(i, "CALL") || _t.Is(i, "EXECUTE"))
            _unknown.Add($"{(_t.Is(i, "CALL") ? "CALL" : "EXECUTE")} {_t.Name(i + 1, out _)} (line {_line}): what it changes is not read");
        else if (_t.Is(i, "SET") || _t.Is(i, "RESET") || _t.Is(i, "DISCARD"))
            SearchPath(i, to);
    }

    /// <summary>The queries of a <c>WITH</c> list (each read as a statement: an UPDATE, DELETE or INSERT in one changes its table); the index of the main statement.</summary>
    int ReadWith(int i, int to)
    {
        if (_t.Is(i, "RECURSIVE"))
            i++;
        while (i < to)
        {
            if (_t.Identifier(i, out i) is null)
                return i;
            if (_t.IsChar(i, '('))
                i = _t.Close(i) + 1;
            if (!_t.Is(i, "AS"))
                return i;
            i++;
            if (_t.Is(i, "NOT"))
                i++;
            if (_t.Is(i, "MATERIALIZED"))
                i++;
            if (!_t.IsChar(i, '('))
                return i;
            var close = _t.Close(i);
            Read(i + 1, close);
            i = close + 1;
            // SEARCH … SET … and CYCLE … USING … of a recursive query, up to the next query or the main statement.
            while (i < to && !_t.IsChar(i, ',') && !IsMainStatement(i))
                i = _t.IsChar(i, '(') ? _t.Close(i) + 1 : i + 1;
            if (!_t.IsChar(i, ','))
                return i;
            i++;
        }

        return i;
    }

    bool IsMainStatement(int i) =>
        _t.Is(i, "SELECT") || _t.Is(i, "INSERT") || _t.Is(i, "UPDATE") || _t.Is(i, "DELETE") || _t.Is(i, "MERGE") || _t.Is(i, "VALUES") || _t.Is(i, "TABLE");

    /// <summary><c>ALTER TABLE [IF EXISTS] [ONLY] x [*] action, …</c>: each action read on its own.</summary>
    void AlterTable(int i, int to)
    {
        i = IfExists(i);
        if (_t.Is(i, "ALL"))
            return; // ALTER TABLE ALL IN TABLESPACE moves tables, it changes none of their rows
        if (_t.Name(Only(i), out i) is not { } table)
            return;
        if (_t.IsChar(i, '*'))
            i++;
        var altered = false;
        foreach (var a in _t.Parts(i, to))
        {
            if (_t.Is(a, "RENAME") && _t.Is(a + 1, "TO") && _t.Identifier(a + 2, out _) is { } renamed)
            {
                Add(new TableTouch(table, TableTouchKind.Rename, _line, NewName: new ObjectName(table.Schema, renamed), SearchPath: _searchPath));
            }
            else if (_t.Is(a, "RENAME") && !_t.Is(a + 1, "CONSTRAINT") && _t.Identifier(_t.Is(a + 1, "COLUMN") ? a + 2 : a + 1, out _) is { } column)
            {
                Add(new TableTouch(table, TableTouchKind.RenameColumn, _line, column, SearchPath: _searchPath));
            }
            else if (_t.Is(a, "SET") && _t.Is(a + 1, "SCHEMA") && _t.Identifier(a + 2, out _) is { } schema)
            {
                Add(new TableTouch(table, TableTouchKind.SetSchema, _line, NewName: new ObjectName(schema, table.Name), SearchPath: _searchPath));
            }
            else if (_t.Is(a, "DROP") && !_t.Is(a + 1, "CONSTRAINT") && _t.Identifier(IfExists(_t.Is(a + 1, "COLUMN") ? a + 2 : a + 1), out _) is { } dropped)
            {
                Add(new TableTouch(table, TableTouchKind.DropColumn, _line, dropped, SearchPath: _searchPath));
            }
            else if (!altered)
            {
                Add(new TableTouch(table, TableTouchKind.Alter, _line, SearchPath: _searchPath));
                altered = true;
            }
        }
    }

    /// <summary><c>DROP TABLE [IF EXISTS] a, b [CASCADE]</c>; <c>DROP SCHEMA … CASCADE</c> and <c>DROP OWNED</c> drop tables they do not name.</summary>
    void Drop(int i, int to)
    {
        if (_t.Is(i, "TABLE"))
        {
            foreach (var part in _t.Parts(IfExists(i + 1), to))
                Touch(part, TableTouchKind.Drop);
        }
        else if (_t.Is(i, "SCHEMA") && _t.Find(i, to, "CASCADE") >= 0)
        {
            _unknown.Add($"DROP SCHEMA … CASCADE (line {_line}): it drops every table of the schema");
        }
        else if (_t.Is(i, "OWNED"))
        {
            _unknown.Add($"DROP OWNED (line {_line}): it drops every table the role owns");
        }
    }

    /// <summary><c>TRUNCATE [TABLE] [ONLY] a [*], b … [RESTART IDENTITY] [CASCADE]</c>.</summary>
    void Truncate(int i, int to)
    {
        if (_t.Is(i, "TABLE"))
            i++;
        var cascade = _t.Find(i, to, "CASCADE") >= 0;
        foreach (var part in _t.Parts(i, to))
        {
            if (_t.Name(Only(part), out _) is { } table)
                Add(new TableTouch(table, TableTouchKind.Truncate, _line, Cascade: cascade, SearchPath: _searchPath));
        }
    }

    /// <summary><c>COPY x [(columns)] FROM …</c> writes rows into x; <c>COPY x TO</c> and <c>COPY (query)</c> only read.</summary>
    void Copy(int i, int to)
    {
        if (_t.Name(i, out var after) is not { } table)
            return;
        var from = _t.Find(after, to, "FROM");
        var into = _t.Find(after, to, "TO");
        if (from >= 0 && (into < 0 || from < into))
            Add(new TableTouch(table, TableTouchKind.CopyFrom, _line, SearchPath: _searchPath));
    }

    /// <summary>
    /// <c>CREATE [OR REPLACE] [UNLOGGED] TABLE|[MATERIALIZED] VIEW|TYPE [IF NOT EXISTS] x</c> (temporary ones are the
    /// session's own and left out); <c>CREATE [UNIQUE] INDEX … ON [ONLY] x</c> touches x.
    /// </summary>
    void Create(int i, int to)
    {
        var orReplace = _t.Is(i, "OR") && _t.Is(i + 1, "REPLACE");
        if (orReplace)
            i += 2;
        var temporary = false;
        while (_t.Is(i, "GLOBAL") || _t.Is(i, "LOCAL") || _t.Is(i, "TEMP") || _t.Is(i, "TEMPORARY") || _t.Is(i, "UNLOGGED") || _t.Is(i, "RECURSIVE") || _t.Is(i, "UNIQUE"))
        {
            temporary |= _t.Is(i, "TEMP") || _t.Is(i, "TEMPORARY");
            i++;
        }

        CreatedObjectKind kind;
        if (_t.Is(i, "INDEX"))
        {
            if (_t.Find(i, to, "ON") is var on and >= 0)
                Touch(Only(on + 1), TableTouchKind.CreateIndex);
            return;
        }

        if (_t.Is(i, "MATERIALIZED") && _t.Is(i + 1, "VIEW"))
            (kind, i) = (CreatedObjectKind.MaterializedView, i + 2);
        else if (_t.Is(i, "TABLE"))
            (kind, i) = (CreatedObjectKind.Table, i + 1);
        else if (_t.Is(i, "VIEW"))
            (kind, i) = (CreatedObjectKind.View, i + 1);
        else if (_t.Is(i, "TYPE"))
            (kind, i) = (CreatedObjectKind.Type, i + 1);
        else
            return;
        var ifNotExists = _t.Is(i, "IF") && _t.Is(i + 1, "NOT") && _t.Is(i + 2, "EXISTS");
        if (ifNotExists)
            i += 3;
        if (_t.Name(i, out _) is { } name && !temporary && name.Schema != "pg_temp")
            _created.Add(new CreatedObject(name, kind, _line, orReplace || ifNotExists, _searchPath));
    }

    /// <summary><c>SELECT … INTO [UNLOGGED] [TABLE] x FROM …</c> creates x.</summary>
    void SelectInto(int i, int to)
    {
        var into = _t.Find(i, to, "INTO");
        if (into < 0)
            return;
        i = into + 1;
        var temporary = false;
        while (_t.Is(i, "TEMP") || _t.Is(i, "TEMPORARY") || _t.Is(i, "UNLOGGED") || _t.Is(i, "TABLE"))
        {
            temporary |= _t.Is(i, "TEMP") || _t.Is(i, "TEMPORARY");
            i++;
        }

        if (!temporary && _t.Name(i, out _) is { } name)
            _created.Add(new CreatedObject(name, CreatedObjectKind.Table, _line, SearchPath: _searchPath));
    }

    /// <summary>
    /// <c>SET [SESSION|LOCAL] search_path {TO|=} a, b</c> (the path the next statements resolve names in), <c>… TO DEFAULT</c>,
    /// <c>RESET search_path</c>, <c>RESET ALL</c>, <c>DISCARD ALL</c> (the session's again).
    /// </summary>
    void SearchPath(int i, int to)
    {
        if ((_t.Is(i, "RESET") && (_t.Is(i + 1, "ALL") || _t.Is(i + 1, "search_path"))) || (_t.Is(i, "DISCARD") && _t.Is(i + 1, "ALL")))
        {
            _searchPath = null;
            return;
        }

        if (!_t.Is(i, "SET"))
            return;
        i++;
        if (_t.Is(i, "SESSION") || _t.Is(i, "LOCAL"))
            i++;
        if (!_t.Is(i, "search_path") || !(_t.Is(i + 1, "TO") || _t.IsChar(i + 1, '=')))
            return;
        if (_t.Is(i + 2, "DEFAULT"))
        {
            _searchPath = null;
            return;
        }

        var path = new List<string>();
        foreach (var part in _t.Parts(i + 2, to))
        {
            if (_t.StringValue(part) is { } text)
                path.AddRange(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.StartsWith('"') ? s.Trim('"') : SqlTokens.Fold(s)));
            else if (_t.Identifier(part, out _) is { } schema)
                path.Add(schema);
        }

        _searchPath = path;
    }

    void Touch(int i, TableTouchKind kind)
    {
        if (_t.Name(i, out _) is { } table)
            Add(new TableTouch(table, kind, _line, SearchPath: _searchPath));
    }

    void Add(TableTouch touch) => _touches.Add(touch);

    int Only(int i) => _t.Is(i, "ONLY") ? i + 1 : i;

    int IfExists(int i) => _t.Is(i, "IF") && _t.Is(i + 1, "EXISTS") ? i + 2 : i;
}
