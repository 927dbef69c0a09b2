using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// A quick pass over a table's storage classes and, only where it finds a value the declared type may not
/// expect, one aggregate pass (<c>SELECT sum(CASE typeof(c) …), … FROM t WHERE …</c> for all columns at once),
/// whose counts <see cref="SqliteDataDecision"/> weighs against the declared types.
/// Large tables are profiled in rowid slices on parallel connections; only what a column's type needs is
/// computed (lengths for varchar(n), integer extremes for narrow, boolean and date columns).
/// </summary>
internal static class SqliteDataProfile
{
    const long SliceRows = 500_000;

    const int ColumnsPerPass = 64;

    enum Field
    {
        /// <summary>integers + 2^32 × reals: one CASE over typeof instead of two comparisons.</summary>
        Numbers,

        /// <summary>texts + 2^32 × blobs.</summary>
        TextsAndBlobs,
        MaxTextLength,
        SampleText,
        MinInteger,
        MaxInteger,
        SpecialTexts,
    }

    sealed record Aggregate(int Column, Field Field, string Sql);

    /// <summary>A column to profile: its declared mapping, and whether to look at it at all (STRICT tables enforce types).</summary>
    public sealed record Column(string Name, PgType Type, DataPolicy Policy, bool Scan = true);

    static List<Aggregate> Aggregates(IReadOnlyList<Column> columns, int first, int end, List<string> filters)
    {
        var list = new List<Aggregate>();
        for (var i = first; i < end; i++)
        {
            var column = columns[i];
            if (!column.Scan || SqliteValueChecks.Unexpected(column) is not { } when)
                continue;
            filters.Add(when);
            var c = SqliteNative.Quote(column.Name);
            list.Add(new(i, Field.Numbers, $"sum(CASE WHEN {when} THEN CASE typeof({c}) WHEN 'integer' THEN 1 WHEN 'real' THEN 4294967296 ELSE 0 END END)"));
            list.Add(new(i, Field.TextsAndBlobs, $"sum(CASE WHEN {when} THEN CASE typeof({c}) WHEN 'text' THEN 1 WHEN 'blob' THEN 4294967296 ELSE 0 END END)"));
            list.Add(new(i, Field.MaxTextLength, $"max(CASE WHEN {when} AND typeof({c}) = 'text' THEN length({c}) END)"));
            list.Add(new(i, Field.SampleText, $"min(CASE WHEN {when} AND typeof({c}) = 'text' THEN {c} END)"));
            list.Add(new(i, Field.MinInteger, $"min(CASE WHEN {when} AND typeof({c}) = 'integer' THEN {c} END)"));
            list.Add(new(i, Field.MaxInteger, $"max(CASE WHEN {when} AND typeof({c}) = 'integer' THEN {c} END)"));
            if (column.Type.Kind == PgTypeKind.Date)
            {
                // Values with a time of day: a date column would drop it.
                list.Add(new(i, Field.SpecialTexts,
                    $"sum(CASE WHEN {when} THEN CASE typeof({c}) WHEN 'text' THEN length(trim({c})) > 10 AND substr(trim({c}), 12) NOT IN ('00:00', '00:00:00', '00:00:00.000') " +
                    $"WHEN 'integer' THEN {c} % (CASE WHEN abs({c}) >= {SqliteTemporal.MillisecondThreshold} THEN 86400000 ELSE 86400 END) <> 0 " +
                    $"WHEN 'real' THEN {c} - 0.5 <> CAST({c} - 0.5 AS INTEGER) ELSE 0 END END)"));
            }

            if (column.Type.Kind == PgTypeKind.Boolean)
                list.Add(new(i, Field.SpecialTexts, $"sum(CASE WHEN {when} THEN typeof({c}) = 'text' AND lower(trim({c})) IN ('t', 'f', 'true', 'false', 'y', 'n', 'yes', 'no', 'on', 'off', '0', '1') END)"));
        }

        return list;
    }

    sealed class Accumulator
    {
        public long Integers, Reals, Texts, Blobs, Special;
        public long? MaxLength, MinInteger, MaxInteger;
        public string? Sample;
    }

    /// <summary>
    /// Profiles a table (<paramref name="from"/>: its quoted name, or a derived table's <c>(query) AS name</c>): the quick pass, then, when it found something, one pass over the rows holding something
    /// unexpected (slices of the rowid span in parallel when the table is large). Counts are of the unexpected
    /// values only, except for columns decided by the data, where every value counts; then the row count where a
    /// decision needs it.
    /// </summary>
    public static SqliteTableProfile Scan(string path, string table, string from, IReadOnlyList<Column> columns, string? rowid, CancellationToken cancellationToken)
    {
        var (minRowid, maxRowid) = RowidSpan(path, from, rowid);
        var slices = minRowid is { } min && maxRowid is { } max && max - min >= 2 * SliceRows
            ? (int)Math.Min(Math.Min(Environment.ProcessorCount, 4), (max - min) / SliceRows)
            : 1;
        var accumulators = Enumerable.Range(0, columns.Count).Select(_ => new Accumulator()).ToArray();
        var range = new Slices(path, table, from, rowid, minRowid, maxRowid, slices);

        // Most tables hold what their declared types say. A quick pass over the storage classes shows it, and
        // the aggregate passes (SQLite evaluating the filter is about twice as costly) run only when it finds a
        // row that may hold something else. Where it finds none, they would have matched no row: every count
        // stays zero, every extreme unset.
        var zones = new long[columns.Count];
        var unexpected = AnyUnexpected(range, columns, zones, cancellationToken);
        if (unexpected)
        {
            // Wide tables take one pass per group of columns: SQLite bounds the depth of the OR chain.
            for (var first = 0; first < columns.Count; first += ColumnsPerPass)
            {
                var filters = new List<string>();
                var aggregates = Aggregates(columns, first, Math.Min(columns.Count, first + ColumnsPerPass), filters);
                if (filters.Count == 0)
                    continue;
                var select = $"SELECT {string.Join(", ", aggregates.Select(a => a.Sql))} FROM {from}";
                var gate = new object();
                range.ForEach(select, string.Join(" OR ", filters), cancellationToken, (db, stmt, _) =>
                {
                    if (SQLitePCL.raw.sqlite3_step(stmt) != SQLitePCL.raw.SQLITE_ROW)
                        throw range.Failure(db);
                    lock (gate)
                    {
                        for (var k = 0; k < aggregates.Count; k++)
                            Merge(accumulators[aggregates[k].Column], aggregates[k].Field, stmt, k);
                    }
                });
            }
        }

        var profiles = accumulators.Select(a => new SqliteColumnProfile
        {
            Integers = a.Integers,
            Reals = a.Reals,
            Texts = a.Texts,
            Blobs = a.Blobs,
            MaxTextLength = a.MaxLength,
            SampleText = a.Sample,
            MinInteger = a.MinInteger,
            MaxInteger = a.MaxInteger,
            SpecialTexts = a.Special,
        }).ToArray();
        if (unexpected)
            SampleZones(path, from, columns, profiles);
        else
        {
            foreach (var i in SqliteValueChecks.ZoneSampled(columns))
                profiles[i].SpecialTexts = zones[i];
        }

        // The exact count is needed only where text values in a number or boolean column are weighed against
        // it (see SqliteDataDecision), or where there is no rowid span. Elsewhere the span estimates it for free: a count
        // reads every page of the table.
        var rows = profiles.Any(p => p.Texts > 0) || minRowid is null || maxRowid is null
            ? Count(path, from)
            : maxRowid.Value - minRowid.Value + 1;
        return new SqliteTableProfile(rows, minRowid, maxRowid, profiles);
    }

    /// <summary>
    /// Whether a copy may skip the profile and let its readers check the values (<see cref="SqliteProfileDeferral"/>):
    /// when every column looked at keeps its declared type unless a value says otherwise, which the quick pass's
    /// test finds value by value. Columns decided by the data need every value counted first.
    /// </summary>
    public static bool CanDefer(IReadOnlyList<Column> columns) => columns.All(c => !c.Scan || c.Policy == DataPolicy.Declared);

    /// <summary>
    /// The profile of a table not scanned (see <see cref="CanDefer"/>): what the scan reports where the quick pass
    /// finds nothing (no counts, the rowid span as the row estimate), valid as long as the readers' checks find nothing.
    /// </summary>
    public static SqliteTableProfile Unscanned(string path, string table, int columns, string? rowid)
    {
        var from = SqliteNative.Quote(table);
        var (minRowid, maxRowid) = RowidSpan(path, from, rowid);
        var rows = minRowid is { } min && maxRowid is { } max ? max - min + 1 : Count(path, from);
        return new SqliteTableProfile(rows, minRowid, maxRowid, Enumerable.Range(0, columns).Select(_ => new SqliteColumnProfile()).ToArray());
    }

    static (long? Min, long? Max) RowidSpan(string path, string from, string? rowid)
    {
        if (rowid is null)
            return (null, null);
        // Two statements: SQLite answers a lone min() or max() of the rowid from the b-tree's edge, but
        // min() and max() together with a full scan.
        using var db = SqliteNative.OpenReadOnly(path);
        return (Int64Scalar(db, $"SELECT min({rowid}) FROM {from}", path),
            Int64Scalar(db, $"SELECT max({rowid}) FROM {from}", path));
    }

    static long Count(string path, string from)
    {
        using var db = SqliteNative.OpenReadOnly(path);
        return Int64Scalar(db, $"SELECT count(*) FROM {from}", path) ?? 0;
    }

    /// <summary>The first column of the first row as an integer; null when there is no row or it is NULL.</summary>
    static long? Int64Scalar(SQLitePCL.sqlite3 db, string sql, string path)
    {
        using var stmt = SqliteNative.Prepare(db, sql, path);
        var rc = SQLitePCL.raw.sqlite3_step(stmt);
        return rc == SQLitePCL.raw.SQLITE_ROW && SQLitePCL.raw.sqlite3_column_type(stmt, 0) != SQLitePCL.raw.SQLITE_NULL ? SQLitePCL.raw.sqlite3_column_int64(stmt, 0)
            : SqliteLockWait.IsBusy(rc) ? throw SqliteLockWait.GaveUp(path) : null;
    }

    /// <summary>A table's rowid span cut into slices, each read on its own connection, in parallel.</summary>
    sealed record Slices(string Path, string Table, string From, string? Rowid, long? MinRowid, long? MaxRowid, int Count)
    {
        /// <summary>Runs <paramref name="work"/> on each slice's statement: <paramref name="select"/>, filtered, limited to the slice.</summary>
        public void ForEach(string select, string? filter, CancellationToken cancellationToken, Action<SQLitePCL.sqlite3, SQLitePCL.sqlite3_stmt, int> work)
        {
            var conditions = new List<string>();
            if (filter is not null)
                conditions.Add($"({filter})");
            if (Count > 1)
                conditions.Add($"{Rowid} BETWEEN ?1 AND ?2");
            var sql = conditions.Count == 0 ? select : $"{select} WHERE {string.Join(" AND ", conditions)}";
            Parallel.For(0, Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Count }, slice =>
            {
                using var db = SqliteNative.OpenReadOnly(Path);
                using var stmt = SqliteNative.Prepare(db, sql, Path);
                // A long scan stops at once when the copy is cancelled (Ctrl+C), not at its end.
                using var interrupt = cancellationToken.Register(() => SQLitePCL.raw.sqlite3_interrupt(db));
                if (Count > 1)
                {
                    var span = (decimal)MaxRowid!.Value - MinRowid!.Value + 1;
                    var from = slice == 0 ? long.MinValue : (long)(MinRowid.Value + Math.Floor(span * slice / Count));
                    var to = slice == Count - 1 ? long.MaxValue : (long)(MinRowid.Value + Math.Floor(span * (slice + 1) / Count)) - 1;
                    SQLitePCL.raw.sqlite3_bind_int64(stmt, 1, from);
                    SQLitePCL.raw.sqlite3_bind_int64(stmt, 2, to);
                }

                try
                {
                    work(db, stmt, slice);
                }
                catch (FerryException) when (cancellationToken.IsCancellationRequested)
                {
                }

                cancellationToken.ThrowIfCancellationRequested();
            });
        }

        public FerryException Failure(SQLitePCL.sqlite3 db) => SqliteLockWait.IsBusy(SQLitePCL.raw.sqlite3_errcode(db)) ? SqliteLockWait.GaveUp(Path) :
            new($"Profiling table {Table} in SQLite file '{Path}' failed: {SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string()}.", FailureKind.Failed);
    }

    /// <summary>
    /// Whether some row may hold a value that <see cref="SqliteValueChecks.Unexpected"/> matches: one pass reading only storage
    /// classes (and, for a few types, the integer or the text's length), stopping at the first such row. Along
    /// the way it counts, in <paramref name="zones"/>, the zoned texts of <see cref="SampleZones"/>'s columns in
    /// its first rows (the first slice's): valid only when it returns false, having read every row.
    /// </summary>
    static bool AnyUnexpected(Slices range, IReadOnlyList<Column> columns, long[] zones, CancellationToken cancellationToken)
    {
        var watched = SqliteValueChecks.Watched(columns);
        if (watched.Length == 0)
            return false;
        var sampled = SqliteValueChecks.ZoneSampled(columns).ToHashSet();
        var zoned = Enumerable.Range(0, watched.Length).Where(k => sampled.Contains(watched[k])).ToArray();
        var found = 0;
        range.ForEach($"SELECT {string.Join(", ", watched.Select(i => SqliteNative.Quote(columns[i].Name)))} FROM {range.From}", null, cancellationToken, (db, stmt, slice) =>
        {
            var statement = stmt.DangerousGetHandle();
            var sampling = slice == 0 && zoned.Length > 0 ? SqliteValueChecks.ZoneSampleRows : 0;
            while (Volatile.Read(ref found) == 0)
            {
                var rc = SqliteColumnAccess.Step(statement);
                if (rc == SqliteColumnAccess.Done)
                    return;
                if (rc != SqliteColumnAccess.Row)
                    throw range.Failure(db);
                for (var k = 0; k < watched.Length; k++)
                {
                    if (SqliteValueChecks.MaybeUnexpected(columns[watched[k]], statement, k))
                    {
                        Volatile.Write(ref found, 1);
                        return;
                    }
                }

                if (sampling > 0)
                {
                    sampling--;
                    foreach (var k in zoned)
                    {
                        if (SqliteValueChecks.ZonedText(statement, k))
                            zones[watched[k]]++;
                    }
                }
            }
        });
        return found != 0;
    }

    static void Merge(Accumulator a, Field field, SQLitePCL.sqlite3_stmt stmt, int ordinal)
    {
        if (SQLitePCL.raw.sqlite3_column_type(stmt, ordinal) == SQLitePCL.raw.SQLITE_NULL)
            return;
        if (field == Field.SampleText)
        {
            var text = SQLitePCL.raw.sqlite3_column_text(stmt, ordinal).utf8_to_string();
            if (a.Sample is null || string.CompareOrdinal(text, a.Sample) < 0)
                a.Sample = text;
            return;
        }

        var v = SQLitePCL.raw.sqlite3_column_int64(stmt, ordinal);
        switch (field)
        {
            case Field.Numbers:
                a.Integers += v & 0xFFFF_FFFF;
                a.Reals += v >> 32;
                break;
            case Field.TextsAndBlobs:
                a.Texts += v & 0xFFFF_FFFF;
                a.Blobs += v >> 32;
                break;
            case Field.MaxTextLength:
                a.MaxLength = Math.Max(a.MaxLength ?? v, v);
                break;
            case Field.MinInteger:
                a.MinInteger = Math.Min(a.MinInteger ?? v, v);
                break;
            case Field.MaxInteger:
                a.MaxInteger = Math.Max(a.MaxInteger ?? v, v);
                break;
            default:
                a.Special += v;
                break;
        }
    }

    /// <summary>Counts text values with a zone in the first rows of timestamp columns that hold text.</summary>
    static void SampleZones(string path, string from, IReadOnlyList<Column> columns, SqliteColumnProfile[] profiles)
    {
        var wanted = SqliteValueChecks.ZoneSampled(columns).ToList();
        if (wanted.Count == 0)
            return;
        var sums = wanted.Select(i => $"sum({SqliteValueChecks.ZonedSql(SqliteNative.Quote(columns[i].Name))})");
        var sql = $"SELECT {string.Join(", ", sums)} FROM (SELECT {string.Join(", ", wanted.Select(i => SqliteNative.Quote(columns[i].Name)))} FROM {from} LIMIT {SqliteValueChecks.ZoneSampleRows})";
        using var db = SqliteNative.OpenReadOnly(path);
        using var stmt = SqliteNative.Prepare(db, sql, path);
        if (SQLitePCL.raw.sqlite3_step(stmt) != SQLitePCL.raw.SQLITE_ROW)
            return;
        for (var k = 0; k < wanted.Count; k++)
            profiles[wanted[k]].SpecialTexts = SQLitePCL.raw.sqlite3_column_int64(stmt, k);
    }
}
