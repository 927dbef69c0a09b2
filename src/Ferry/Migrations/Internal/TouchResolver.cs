namespace Ferry.Migrations.Internal;

/// <summary>
/// Resolves the touches of migrations, in the order they run, against the catalog: an unqualified name in the
/// search_path in effect (the script's own SET search_path, else the session's); a name a rename or SET SCHEMA of an
/// earlier statement gave an existing table is that table; a name only an earlier statement creates is new (nothing of
/// it to back up). Deletes, updates and TRUNCATE … CASCADE reach the tables whose foreign keys cascade from them.
/// </summary>
internal sealed class TouchResolver(TouchCatalog catalog, string fallbackSchema)
{
    readonly Dictionary<ObjectName, ObjectName> _renamed = [];
    readonly HashSet<ObjectName> _created = [];

    /// <summary>What the migrations touch, each resolved after those before it.</summary>
    public static MigrationTouchPlan Plan(TouchCatalog catalog, string fallbackSchema, IEnumerable<(MigrationFiles Files, MigrationScript Script)> migrations)
    {
        var resolver = new TouchResolver(catalog, fallbackSchema);
        var resolved = migrations.Select(m => resolver.Resolve(m.Files, m.Script)).ToList();
        var tables = resolved.SelectMany(m => m.Tables).Distinct().ToList();
        var schemas = resolved.Any(m => m.Unknown.Count > 0) ? (catalog.SearchPath.Count > 0 ? catalog.SearchPath : [fallbackSchema]) : [];
        return new MigrationTouchPlan(resolved, tables, schemas);
    }

    public MigrationTouches Resolve(MigrationFiles files, MigrationScript script)
    {
        var read = MigrationAnalyzer.Analyze(script);
        var touches = new List<TableTouch>();
        var created = new List<CreatedObject>();
        var notFound = new List<ObjectName>();
        // In script order; on one line a creation comes first (CREATE TABLE t …; INSERT INTO t …).
        var steps = read.Created.Select(c => (c.Line, Created: (CreatedObject?)c, Touch: (TableTouch?)null))
            .Concat(read.Touches.Select(t => (t.Line, Created: (CreatedObject?)null, Touch: (TableTouch?)t)))
            .OrderBy(s => s.Line).ThenBy(s => s.Touch is null ? 0 : 1);
        foreach (var (_, create, touch) in steps)
        {
            if (create is not null)
            {
                var (name, existing) = Find(create.Name, create.SearchPath);
                if (existing && create.MayExist)
                    continue; // IF NOT EXISTS, OR REPLACE: the object there is kept
                var at = name ?? new ObjectName(create.Name.Schema ?? CreationSchema(create.SearchPath), create.Name.Name);
                _created.Add(at);
                created.Add(create with { Name = at });
                continue;
            }

            var (table, exists) = Find(touch!.Table, touch.SearchPath);
            if (table is null)
            {
                notFound.Add(touch.Table);
                continue;
            }

            var resolved = touch with { Table = table, NewName = touch.NewName is { } to ? new ObjectName(to.Schema ?? table.Schema, to.Name) : null };
            touches.Add(resolved);
            if (resolved.NewName is { } renamed)
            {
                if (exists)
                    _renamed[renamed] = _renamed.GetValueOrDefault(table, table);
                else
                    _created.Add(renamed);
            }

            if (exists)
                touches.AddRange(Cascades(resolved));
        }

        var tables = touches.Select(t => BeforeRun(t.Table)).Where(catalog.IsTable).Distinct().ToList();
        return new MigrationTouches(files.Version?.Text, files.Name, script.FileName, touches, tables, created, notFound.Distinct().ToList(), read.Unknown);
    }

    /// <summary>The name the catalog knows a table by before the run (an earlier statement may have renamed it).</summary>
    public ObjectName BeforeRun(ObjectName table) => _renamed.GetValueOrDefault(table, table);

    /// <summary>
    /// The relation a name means (null when none), and whether it exists now (or is an existing table under a name an
    /// earlier statement gave it) rather than being created by an earlier statement.
    /// </summary>
    (ObjectName? Name, bool Existing) Find(ObjectName name, IReadOnlyList<string>? searchPath)
    {
        IEnumerable<string> schemas = name.Schema is { } schema ? [schema] : Path(searchPath);
        foreach (var s in schemas)
        {
            var candidate = new ObjectName(s, name.Name);
            if (_renamed.ContainsKey(candidate))
                return (candidate, true);
            if (_created.Contains(candidate))
                return (candidate, false);
            if (catalog.Relations.ContainsKey(candidate))
                return (candidate, true);
        }

        return (null, false);
    }

    IEnumerable<string> Path(IReadOnlyList<string>? searchPath) =>
        searchPath is null ? catalog.SearchPath : searchPath.Select(s => s == "$user" ? catalog.User : s);

    /// <summary>Where an unqualified CREATE puts its object: the first schema of the path that exists.</summary>
    string CreationSchema(IReadOnlyList<string>? searchPath) =>
        Path(searchPath).FirstOrDefault(s => catalog.Schemas.Contains(s) && s != "pg_catalog") ?? fallbackSchema;

    /// <summary>
    /// The tables a delete, update or TRUNCATE … CASCADE of <paramref name="touch"/>'s table reaches through foreign keys:
    /// ON DELETE (UPDATE) CASCADE further on, SET NULL and SET DEFAULT one step (those rows change, their keys do not).
    /// </summary>
    IEnumerable<TableTouch> Cascades(TableTouch touch)
    {
        var start = BeforeRun(touch.Table);
        var seen = new HashSet<ObjectName> { start };
        var queue = new Queue<ObjectName>([start]);
        while (queue.Count > 0)
        {
            var parent = queue.Dequeue();
            foreach (var link in catalog.ForeignKeys.Where(f => f.Parent == parent))
            {
                var action = touch.Kind switch
                {
                    TableTouchKind.Truncate when touch.Cascade => 'c',
                    TableTouchKind.Delete or TableTouchKind.Merge => link.OnDelete,
                    TableTouchKind.Update => link.OnUpdate,
                    _ => 'a',
                };
                if (action is not ('c' or 'n' or 'd') || !seen.Add(link.Child))
                    continue;
                yield return touch with { Table = link.Child, Column = null, NewName = null, Via = parent };
                if (action == 'c')
                    queue.Enqueue(link.Child);
            }
        }
    }
}
