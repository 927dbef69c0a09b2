using System.Globalization;
using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>How one column's values are actually stored: counts per SQLite storage class, and a few extremes.</summary>
internal sealed class SqliteColumnProfile
{
    public long Integers { get; init; }

    public long Reals { get; init; }

    public long Texts { get; init; }

    public long Blobs { get; init; }

    /// <summary>Longest TEXT value, in characters.</summary>
    public long? MaxTextLength { get; init; }

    /// <summary>One of the TEXT values (the smallest), for notes.</summary>
    public string? SampleText { get; init; }

    public long? MinInteger { get; init; }

    public long? MaxInteger { get; init; }

    /// <summary>Booleans: TEXT values spelled as booleans. Timestamps: TEXT values with a zone ('Z', '+02:00'), among the first rows.</summary>
    public long SpecialTexts { get; set; }

    public long NonNull => Integers + Reals + Texts + Blobs;
}

/// <summary>A table's profile: its row count (exact where a decision weighs values against it, else the rowid span), rowid span and one <see cref="SqliteColumnProfile"/> per column.</summary>
internal sealed record SqliteTableProfile(long Rows, long? MinRowid, long? MaxRowid, SqliteColumnProfile[] Columns);

/// <summary>
/// A quick pass over a table's storage classes and, only where it finds a value the declared type may not
/// expect, one aggregate pass (<c>SELECT sum(CASE typeof(c) …), … FROM t WHERE …</c> for all columns at once);
/// then the decisions the stored values force on the declared types. Every decision is noted on the table.
/// Large tables are profiled in rowid slices on parallel connections; only what a column's type needs is
/// computed (lengths for varchar(n), integer extremes for narrow, boolean and date columns).
/// </summary>
internal static class SqliteDataProfile
{
    /// <summary>Rows whose text values are checked for a zone ('Z', '+02:00'): a sample, the check is costly.</summary>
    internal const int ZoneSampleRows = 100_000;

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

    /// <summary>
    /// The values a column's declared type expects need no counting, only the others do: the scan filters
    /// rows on "some column holds something unexpected" (cheap, evaluated in the WHERE clause) and runs
    /// the costly aggregates on those rows alone. Columns decided by the data expect nothing.
    /// </summary>
    internal static string? Unexpected(Column column)
    {
        var c = SqliteNative.Quote(column.Name);
        if (column.Policy != DataPolicy.Declared)
            return $"{c} IS NOT NULL";
        return column.Type.Kind switch
        {
            PgTypeKind.BigInt => $"typeof({c}) NOT IN ('integer', 'null')",
            PgTypeKind.Integer => $"(typeof({c}) NOT IN ('integer', 'null') OR {c} NOT BETWEEN {int.MinValue} AND {int.MaxValue})",
            PgTypeKind.SmallInt => $"(typeof({c}) NOT IN ('integer', 'null') OR {c} NOT BETWEEN {short.MinValue} AND {short.MaxValue})",
            PgTypeKind.Numeric or PgTypeKind.DoublePrecision or PgTypeKind.Real => $"typeof({c}) IN ('text', 'blob')",
            PgTypeKind.Boolean => $"{c} NOT IN (0, 1)",
            PgTypeKind.Date => $"(typeof({c}) NOT IN ('text', 'null') OR length({c}) > 10)",
            PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time => $"typeof({c}) NOT IN ('text', 'null')",
            PgTypeKind.Varchar or PgTypeKind.Char when column.Type.Length is { } n => $"(typeof({c}) = 'blob' OR length({c}) > {n})",
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Json or PgTypeKind.Jsonb => $"typeof({c}) = 'blob'",
            PgTypeKind.Uuid => $"typeof({c}) IN ('integer', 'real')",
            _ => null, // bytea takes every storage class as bytes
        };
    }

    static List<Aggregate> Aggregates(IReadOnlyList<Column> columns, int first, int end, List<string> filters)
    {
        var list = new List<Aggregate>();
        for (var i = first; i < end; i++)
        {
            var column = columns[i];
            if (!column.Scan || Unexpected(column) is not { } when)
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
    /// Profiles a table: the quick pass, then, when it found something, one pass over the rows holding something
    /// unexpected (slices of the rowid span in parallel when the table is large). Counts are of the unexpected
    /// values only, except for columns decided by the data, where every value counts; then the row count where a
    /// decision needs it.
    /// </summary>
    public static SqliteTableProfile Scan(string path, string table, IReadOnlyList<Column> columns, string? rowid, CancellationToken cancellationToken)
    {
        var (minRowid, maxRowid) = RowidSpan(path, table, rowid);
        var slices = minRowid is { } min && maxRowid is { } max && max - min >= 2 * SliceRows
            ? (int)Math.Min(Math.Min(Environment.ProcessorCount, 4), (max - min) / SliceRows)
            : 1;
        var accumulators = Enumerable.Range(0, columns.Count).Select(_ => new Accumulator()).ToArray();
        var range = new Slices(path, table, rowid, minRowid, maxRowid, slices);

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
                var select = $"SELECT {string.Join(", ", aggregates.Select(a => a.Sql))} FROM {SqliteNative.Quote(table)}";
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
            SampleZones(path, table, columns, profiles);
        else
        {
            foreach (var i in ZoneSampled(columns))
                profiles[i].SpecialTexts = zones[i];
        }

        // The exact count is needed only where text values in a number or boolean column are weighed against
        // it (see Decide), or where there is no rowid span. Elsewhere the span estimates it for free: a count
        // reads every page of the table (0.2 s for 3M rows).
        var rows = profiles.Any(p => p.Texts > 0) || minRowid is null || maxRowid is null
            ? Count(path, table)
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
        var (minRowid, maxRowid) = RowidSpan(path, table, rowid);
        var rows = minRowid is { } min && maxRowid is { } max ? max - min + 1 : Count(path, table);
        return new SqliteTableProfile(rows, minRowid, maxRowid, Enumerable.Range(0, columns).Select(_ => new SqliteColumnProfile()).ToArray());
    }

    /// <summary>The columns the quick pass tests (see <see cref="MaybeUnexpected"/>), by index.</summary>
    public static int[] Watched(IReadOnlyList<Column> columns) =>
        Enumerable.Range(0, columns.Count).Where(i => columns[i].Scan && Unexpected(columns[i]) is not null).ToArray();

    static (long? Min, long? Max) RowidSpan(string path, string table, string? rowid)
    {
        if (rowid is null)
            return (null, null);
        // Two statements: SQLite answers a lone min() or max() of the rowid from the b-tree's edge, but
        // min() and max() together with a full scan.
        using var db = SqliteNative.OpenReadOnly(path);
        return (Int64Scalar(db, $"SELECT min({rowid}) FROM {SqliteNative.Quote(table)}", path),
            Int64Scalar(db, $"SELECT max({rowid}) FROM {SqliteNative.Quote(table)}", path));
    }

    static long Count(string path, string table)
    {
        using var db = SqliteNative.OpenReadOnly(path);
        return Int64Scalar(db, $"SELECT count(*) FROM {SqliteNative.Quote(table)}", path) ?? 0;
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
    sealed record Slices(string Path, string Table, string? Rowid, long? MinRowid, long? MaxRowid, int Count)
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
    /// Whether some row may hold a value that <see cref="Unexpected"/> matches: one pass reading only storage
    /// classes (and, for a few types, the integer or the text's length), stopping at the first such row. Along
    /// the way it counts, in <paramref name="zones"/>, the zoned texts of <see cref="SampleZones"/>'s columns in
    /// its first rows (the first slice's): valid only when it returns false, having read every row.
    /// </summary>
    static bool AnyUnexpected(Slices range, IReadOnlyList<Column> columns, long[] zones, CancellationToken cancellationToken)
    {
        var watched = Watched(columns);
        if (watched.Length == 0)
            return false;
        var sampled = ZoneSampled(columns).ToHashSet();
        var zoned = Enumerable.Range(0, watched.Length).Where(k => sampled.Contains(watched[k])).ToArray();
        var found = 0;
        range.ForEach($"SELECT {string.Join(", ", watched.Select(i => SqliteNative.Quote(columns[i].Name)))} FROM {SqliteNative.Quote(range.Table)}", null, cancellationToken, (db, stmt, slice) =>
        {
            var statement = stmt.DangerousGetHandle();
            var sampling = slice == 0 && zoned.Length > 0 ? ZoneSampleRows : 0;
            while (Volatile.Read(ref found) == 0)
            {
                var rc = SqliteColumnAccess.Step(statement);
                if (rc == SqliteColumnAccess.Done)
                    return;
                if (rc != SqliteColumnAccess.Row)
                    throw range.Failure(db);
                for (var k = 0; k < watched.Length; k++)
                {
                    if (MaybeUnexpected(columns[watched[k]], statement, k))
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
                        if (ZonedText(statement, k))
                            zones[watched[k]]++;
                    }
                }
            }
        });
        return found != 0;
    }

    /// <summary>
    /// The quick pass's test of one value (column <paramref name="ordinal"/> of the current row): true wherever
    /// <see cref="Unexpected"/>'s SQL is true, and sometimes where it is not (a REAL 1.0 in a boolean column, an
    /// integer in a varchar(5) column), never the other way round.
    /// </summary>
    internal static bool MaybeUnexpected(Column column, nint statement, int ordinal)
    {
        var value = SqliteColumnAccess.Value(statement, ordinal);
        return MaybeUnexpectedValue(column, value, SqliteColumnAccess.Type(value));
    }

    /// <summary><see cref="MaybeUnexpected"/> of a value already fetched (<see cref="SqliteColumnAccess.Value"/>), with its storage class.</summary>
    internal static bool MaybeUnexpectedValue(Column column, nint value, int storage)
    {
        if (storage == SqliteColumnAccess.Null)
            return false;
        if (column.Policy != DataPolicy.Declared)
            return true;
        return column.Type.Kind switch
        {
            PgTypeKind.BigInt => storage != SqliteColumnAccess.Integer,
            PgTypeKind.Integer => storage != SqliteColumnAccess.Integer || SqliteColumnAccess.Int64(value) is < int.MinValue or > int.MaxValue,
            PgTypeKind.SmallInt => storage != SqliteColumnAccess.Integer || SqliteColumnAccess.Int64(value) is < short.MinValue or > short.MaxValue,
            PgTypeKind.Numeric or PgTypeKind.DoublePrecision or PgTypeKind.Real => storage is SqliteColumnAccess.Text or SqliteColumnAccess.Blob,
            PgTypeKind.Boolean => storage != SqliteColumnAccess.Integer || SqliteColumnAccess.Int64(value) is not (0 or 1),
            PgTypeKind.Date => storage != SqliteColumnAccess.Text || Longer(SqliteColumnAccess.TextBytes(value), 10),
            PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time => storage != SqliteColumnAccess.Text,
            // A number's text is at most 24 characters long.
            PgTypeKind.Varchar or PgTypeKind.Char when column.Type.Length is { } n =>
                storage == SqliteColumnAccess.Blob || (storage == SqliteColumnAccess.Text ? Longer(SqliteColumnAccess.TextBytes(value), n) : n < 32),
            PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Json or PgTypeKind.Jsonb => storage == SqliteColumnAccess.Blob,
            PgTypeKind.Uuid => storage is SqliteColumnAccess.Integer or SqliteColumnAccess.Float,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a text has more than <paramref name="limit"/> characters as SQLite's length() counts them, or seems
    /// to (length() stops at a NUL); characters are counted only when the bytes could exceed it.
    /// </summary>
    static bool Longer(ReadOnlySpan<byte> text, int limit) => text.Length > limit && Ferry.Internal.Utf8Characters.Count(text) > limit;

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

    /// <summary>The columns whose zoned texts are counted: timestamps without a zone, as declared.</summary>
    internal static IEnumerable<int> ZoneSampled(IReadOnlyList<Column> columns) =>
        Enumerable.Range(0, columns.Count).Where(i => columns[i].Type.Kind == PgTypeKind.Timestamp && columns[i].Scan && columns[i].Policy == DataPolicy.Declared);

    /// <summary>Whether column <paramref name="ordinal"/> of the current row is a TEXT that <see cref="Zoned"/> matches.</summary>
    internal static bool ZonedText(nint statement, int ordinal)
    {
        var value = SqliteColumnAccess.Value(statement, ordinal);
        return SqliteColumnAccess.Type(value) == SqliteColumnAccess.Text && Zoned(SqliteColumnAccess.TextBytes(value));
    }

    /// <summary>
    /// <see cref="SampleZones"/>'s test of one text, in C#: after SQLite's trim() of spaces, it ends in 'z' or 'Z'
    /// (<c>LIKE '%z'</c>), in a digit then <c>±hh:mm</c> or a digit, a space and <c>±hh:mm</c>, or in <c>±hhmm</c>
    /// after a <c>:dd</c> (the GLOB patterns).
    /// </summary>
    internal static bool Zoned(ReadOnlySpan<byte> text)
    {
        var t = text.Trim((byte)' ');
        var n = t.Length;
        if (n == 0)
            return false;
        if (t[n - 1] is (byte)'z' or (byte)'Z')
            return true;
        static bool D(byte b) => b is >= (byte)'0' and <= (byte)'9';
        static bool S(byte b) => b is (byte)'+' or (byte)'-';
        if (n >= 6 && S(t[n - 6]) && D(t[n - 5]) && D(t[n - 4]) && t[n - 3] == ':' && D(t[n - 2]) && D(t[n - 1]))
        {
            if (n >= 7 && D(t[n - 7]))
                return true;
            if (n >= 8 && t[n - 7] == ' ' && D(t[n - 8]))
                return true;
        }

        if (n >= 8 && S(t[n - 5]) && D(t[n - 4]) && D(t[n - 3]) && D(t[n - 2]) && D(t[n - 1]))
        {
            var head = t[..(n - 5)];
            for (var i = 0; i + 2 < head.Length; i++)
            {
                if (head[i] == ':' && D(head[i + 1]) && D(head[i + 2]))
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether a value is a text with a zone, in SQLite's SQL (<see cref="Zoned"/> is the same test in C#).</summary>
    internal static string ZonedSql(string c) =>
        $"typeof({c}) = 'text' AND (trim({c}) LIKE '%z' OR trim({c}) GLOB '*[0-9][+-][0-9][0-9]:[0-9][0-9]' OR trim({c}) GLOB '*[0-9] [+-][0-9][0-9]:[0-9][0-9]' OR trim({c}) GLOB '*:[0-9][0-9]*[+-][0-9][0-9][0-9][0-9]')";

    /// <summary>Counts text values with a zone in the first rows of timestamp columns that hold text.</summary>
    static void SampleZones(string path, string table, IReadOnlyList<Column> columns, SqliteColumnProfile[] profiles)
    {
        var wanted = ZoneSampled(columns).ToList();
        if (wanted.Count == 0)
            return;
        var sums = wanted.Select(i => $"sum({ZonedSql(SqliteNative.Quote(columns[i].Name))})");
        var sql = $"SELECT {string.Join(", ", sums)} FROM (SELECT {string.Join(", ", wanted.Select(i => SqliteNative.Quote(columns[i].Name)))} FROM {SqliteNative.Quote(table)} LIMIT {ZoneSampleRows})";
        using var db = SqliteNative.OpenReadOnly(path);
        using var stmt = SqliteNative.Prepare(db, sql, path);
        if (SQLitePCL.raw.sqlite3_step(stmt) != SQLitePCL.raw.SQLITE_ROW)
            return;
        for (var k = 0; k < wanted.Count; k++)
            profiles[wanted[k]].SpecialTexts = SQLitePCL.raw.sqlite3_column_int64(stmt, k);
    }

    /// <summary>2^53: every integer up to it (either sign) is exactly a double.</summary>
    const long ExactDoubleInteger = 1L << 53;

    /// <summary>
    /// The type the stored values call for, given the declared type's rule and type. Returns the final type
    /// and appends what was decided (and why) to <paramref name="decisions"/>, which become the table's notes
    /// and the column's rule text.
    /// </summary>
    public static PgType Decide(SqliteTypeRule rule, PgType declared, SqliteColumnProfile p, long rows, List<string> decisions)
    {
        string Count(long n, string what) => $"{n.ToString(CultureInfo.InvariantCulture)} {what}{(n == 1 ? "" : "s")}";
        string Sample() => p.SampleText is { } s ? $" (e.g. '{(s.Length > 40 ? s[..37] + "..." : s)}')" : "";

        if (rule.Policy == DataPolicy.ByData || (rule.Policy == DataPolicy.NumericOrBigint && p.Texts + p.Blobs == 0))
        {
            if (p.NonNull == 0)
            {
                var empty = rule.Policy == DataPolicy.NumericOrBigint ? PgType.Numeric : declared.Kind == PgTypeKind.BigInt ? PgType.BigInt : PgType.Text;
                decisions.Add($"no values stored → {empty.ToSql()}");
                return empty;
            }

            if (p.Texts == 0 && p.Blobs == 0 && p.Reals == 0)
            {
                decisions.Add($"all {Count(p.Integers, "value")} are integers → bigint");
                return PgType.BigInt;
            }

            if (rule.Policy == DataPolicy.NumericOrBigint)
            {
                decisions.Add($"{Count(p.Reals, "real value")} stored → numeric (exact)");
                return PgType.Numeric;
            }

            if (p.Texts == 0 && p.Blobs == 0)
            {
                // double precision holds every integer only up to 2^53; beyond, numeric keeps both kinds exactly.
                if (p.MinInteger < -ExactDoubleInteger || p.MaxInteger > ExactDoubleInteger)
                {
                    var widest = p.MaxInteger > ExactDoubleInteger ? p.MaxInteger : p.MinInteger;
                    decisions.Add($"{Count(p.Integers, "integer")} and {Count(p.Reals, "real")} stored, integers up to {widest?.ToString(CultureInfo.InvariantCulture)} " +
                        "that double precision would round → numeric (exact)");
                    return PgType.Numeric;
                }

                decisions.Add($"{Count(p.Integers, "integer")} and {Count(p.Reals, "real")} stored → double precision");
                return PgType.DoublePrecision;
            }

            if (p.Texts == 0 && p.Blobs == p.NonNull)
            {
                decisions.Add($"all {Count(p.Blobs, "value")} are blobs → bytea");
                return PgType.Bytea;
            }

            decisions.Add($"{Count(p.Texts, "text value")} among {Count(p.NonNull, "value")} stored → text" +
                (p.Blobs > 0 ? $"; {Count(p.Blobs, "blob")} decoded as text" : ""));
            return PgType.Text;
        }

        switch (declared.Kind)
        {
            case PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.DoublePrecision:
            {
                var type = declared;
                if (p.Texts > 0 && p.Texts * 2 > rows)
                {
                    decisions.Add($"{Count(p.Texts, "text value")}{Sample()} in {Count(rows, "row")}: mostly text → text (every value kept)");
                    return PgType.Text;
                }

                if (type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt && p.Reals > 0)
                {
                    decisions.Add($"{Count(p.Reals, "real value")} (a fraction, or an integer beyond 64 bits) stored → numeric (exact, keeps the integers too)");
                    type = PgType.Numeric;
                }
                else if (type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer && p.MinInteger is { } min && p.MaxInteger is { } max)
                {
                    var fits = type.Kind == PgTypeKind.SmallInt ? min >= short.MinValue && max <= short.MaxValue : min >= int.MinValue && max <= int.MaxValue;
                    if (!fits)
                    {
                        type = min >= int.MinValue && max <= int.MaxValue ? PgType.Integer : PgType.BigInt;
                        decisions.Add($"values from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} stored → {type.ToSql()}");
                    }
                }

                if (p.Texts > 0)
                    decisions.Add($"{Count(p.Texts, "text value")}{Sample()} {(p.Texts == 1 ? "is" : "are")} not {(type.Kind == PgTypeKind.BigInt ? "integers" : "numbers")}: those rows will be rejected");
                if (p.Blobs > 0)
                    decisions.Add($"{Count(p.Blobs, "blob")} stored: those rows will be rejected");
                return type;
            }

            case PgTypeKind.Boolean:
            {
                if (p.Integers > 0 && p.Texts == 0)
                {
                    decisions.Add($"integers from {p.MinInteger?.ToString(CultureInfo.InvariantCulture)} to {p.MaxInteger?.ToString(CultureInfo.InvariantCulture)} stored, not just 0/1 → bigint");
                    return PgType.BigInt;
                }

                var odd = p.Texts - p.SpecialTexts;
                if (odd > 0 && odd * 2 > rows)
                {
                    decisions.Add($"{Count(odd, "text value")}{Sample()} in {Count(rows, "row")} are not booleans → text (every value kept)");
                    return PgType.Text;
                }

                if (p.SpecialTexts > 0)
                    decisions.Add($"{Count(p.SpecialTexts, "text value")} like 'true'/'f' read as booleans");
                if (odd > 0)
                    decisions.Add($"{Count(odd, "text value")}{Sample()} are not booleans: those rows will be rejected");
                if (p.Integers + p.Reals > 0)
                    decisions.Add($"{Count(p.Integers + p.Reals, "number")} other than 0/1 stored: those rows will be rejected");
                if (p.Blobs > 0)
                    decisions.Add($"{Count(p.Blobs, "blob")} stored: those rows will be rejected");
                return declared;
            }

            case PgTypeKind.Date or PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time:
            {
                var zonesCounted = declared.Kind == PgTypeKind.Timestamp; // for dates, SpecialTexts counts times of day
                if (declared.Kind == PgTypeKind.Date && p.SpecialTexts > 0)
                {
                    decisions.Add($"{Count(p.SpecialTexts, "value")} with a time of day → timestamp (a date would drop it)");
                    declared = PgType.Timestamp;
                }

                if (p.Integers > 0 && declared.Kind != PgTypeKind.Time && p.MinInteger is { } min && p.MaxInteger is { } max)
                {
                    // The reader takes each integer's unit from its own magnitude: name every unit the range spans.
                    static string Unit(long v) => Math.Abs((decimal)v) >= SqliteTemporal.MicrosecondThreshold ? "microseconds"
                        : Math.Abs((decimal)v) >= SqliteTemporal.MillisecondThreshold ? "milliseconds" : "seconds";
                    var (smallest, largest) = (min <= 0 && max >= 0 ? "seconds" : Unit(Math.Abs((decimal)min) < Math.Abs((decimal)max) ? min : max),
                        Unit(Math.Abs((decimal)min) > Math.Abs((decimal)max) ? min : max));
                    decisions.Add(smallest == largest
                        ? $"{Count(p.Integers, "integer")} read as Unix epoch {largest} (UTC)"
                        : $"{Count(p.Integers, "integer")} read as Unix epoch {smallest} to {largest}, each by its magnitude (UTC)");
                }

                if (p.Reals > 0 && declared.Kind != PgTypeKind.Time)
                    decisions.Add($"{Count(p.Reals, "real")} read as julian day numbers");
                if (p.SpecialTexts > 0 && zonesCounted)
                    decisions.Add($"text values with a UTC offset or 'Z' stored ({p.SpecialTexts.ToString(CultureInfo.InvariantCulture)} in the first {SqliteDataProfile.ZoneSampleRows.ToString("N0", CultureInfo.InvariantCulture)} rows): converted to UTC");
                if (declared.Kind == PgTypeKind.Time && p.Integers + p.Reals > 0)
                    decisions.Add($"{Count(p.Integers + p.Reals, "number")} stored: those rows will be rejected");
                if (p.Blobs > 0)
                    decisions.Add($"{Count(p.Blobs, "blob")} stored: those rows will be rejected");
                return declared;
            }

            case PgTypeKind.Varchar or PgTypeKind.Char when declared.Length is { } n && p.MaxTextLength > n:
                decisions.Add($"values up to {p.MaxTextLength?.ToString(CultureInfo.InvariantCulture)} characters stored (SQLite does not enforce {n.ToString(CultureInfo.InvariantCulture)}) → text");
                return PgType.Text;
            case PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char when p.Blobs > 0:
                decisions.Add($"{Count(p.Blobs, "blob")} decoded as text");
                return declared;
            case PgTypeKind.Uuid when p.Integers + p.Reals > 0:
                decisions.Add($"{Count(p.Integers + p.Reals, "number")} stored: those rows will be rejected");
                return declared;
            default:
                return declared;
        }
    }
}
