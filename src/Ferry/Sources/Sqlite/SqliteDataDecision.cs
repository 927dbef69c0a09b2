using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// The type a column's stored values call for, given its declared type and rule: an ordered table of rules, read
/// top to bottom. Every rule whose condition holds may change the type and notes what it saw and decided (the notes
/// become the table's notes and the column's rule text); a rule that decides ends the decision.
/// </summary>
internal static class SqliteDataDecision
{
    /// <summary>One rule of the table.</summary>
    /// <param name="Name">What the rule is about, for reading the table (and the tests).</param>
    /// <param name="When">Whether the rule holds.</param>
    /// <param name="Note">What it saw and decided, for the notes; read after <paramref name="Becomes"/> has set the type.</param>
    /// <param name="Becomes">The type the column becomes, if the rule changes it.</param>
    /// <param name="Decides">Whether the decision ends with this rule.</param>
    internal sealed record Rule(string Name, Func<Facts, bool> When, Func<Facts, string> Note, Func<Facts, PgType>? Becomes = null, bool Decides = false);

    /// <summary>What the rules look at: the mapping rule's policy, the declared type, the column's profile, the table's rows, and the type so far.</summary>
    internal sealed class Facts(DataPolicy policy, PgType declared, SqliteColumnProfile profile, long rows)
    {
        public DataPolicy Policy { get; } = policy;

        public PgType Declared { get; } = declared;

        public SqliteColumnProfile P { get; } = profile;

        public long Rows { get; } = rows;

        public PgType Type { get; set; } = declared;

        /// <summary>The storage classes found decide: no usable declared type, or NUMERIC holding no text and no blob.</summary>
        public bool ByData => Policy == DataPolicy.ByData || (Policy == DataPolicy.NumericOrBigint && P.Texts + P.Blobs == 0);

        public bool IsNumber => Declared.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.DoublePrecision;

        public bool IsBoolean => Declared.Kind == PgTypeKind.Boolean;

        public bool IsTemporal => Declared.Kind is PgTypeKind.Date or PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time;

        /// <summary>In a boolean column, the texts not spelled as booleans.</summary>
        public long OddTexts => P.Texts - P.SpecialTexts;
    }

    /// <summary>2^53: every integer up to it (either sign) is exactly a double.</summary>
    const long ExactDoubleInteger = 1L << 53;

    internal static readonly IReadOnlyList<Rule> Rules =
    [
        // Decided by the data (no usable declared type, or NUMERIC holding only numbers): the first rule that holds.
        Decides("no values", f => f.ByData && f.P.NonNull == 0,
            f => f.Policy == DataPolicy.NumericOrBigint ? PgType.Numeric : f.Declared.Kind == PgTypeKind.BigInt ? PgType.BigInt : PgType.Text,
            f => $"no values stored → {f.Type.ToSql()}"),
        Decides("only integers", f => f.ByData && f.P is { Texts: 0, Blobs: 0, Reals: 0 }, _ => PgType.BigInt,
            f => $"all {Count(f.P.Integers, "value")} are integers → bigint"),
        Decides("reals in a NUMERIC column", f => f.ByData && f.Policy == DataPolicy.NumericOrBigint, _ => PgType.Numeric,
            f => $"{Count(f.P.Reals, "real value")} stored → numeric (exact)"),
        Decides("reals and integers beyond 2^53", f => f.ByData && f.P is { Texts: 0, Blobs: 0 } && (f.P.MinInteger < -ExactDoubleInteger || f.P.MaxInteger > ExactDoubleInteger),
            _ => PgType.Numeric,
            f => $"{Count(f.P.Integers, "integer")} and {Count(f.P.Reals, "real")} stored, integers up to " +
                $"{(f.P.MaxInteger > ExactDoubleInteger ? f.P.MaxInteger : f.P.MinInteger)?.ToString(CultureInfo.InvariantCulture)} that double precision would round → numeric (exact)"),
        Decides("reals and integers", f => f.ByData && f.P is { Texts: 0, Blobs: 0 }, _ => PgType.DoublePrecision,
            f => $"{Count(f.P.Integers, "integer")} and {Count(f.P.Reals, "real")} stored → double precision"),
        Decides("only blobs", f => f.ByData && f.P.Texts == 0 && f.P.Blobs == f.P.NonNull, _ => PgType.Bytea,
            f => $"all {Count(f.P.Blobs, "value")} are blobs → bytea"),
        Decides("some text", f => f.ByData, _ => PgType.Text,
            f => $"{Count(f.P.Texts, "text value")} among {Count(f.P.NonNull, "value")} stored → text" + (f.P.Blobs > 0 ? $"; {Count(f.P.Blobs, "blob")} decoded as text" : "")),

        // Numbers: mostly text becomes text; else the type widens to what is stored, and the texts are rejected.
        Decides("mostly text in a number column", f => f.IsNumber && f.P.Texts > 0 && f.P.Texts * 2 > f.Rows, _ => PgType.Text,
            f => $"{Count(f.P.Texts, "text value")}{Sample(f.P)} in {Count(f.Rows, "row")}: mostly text → text (every value kept)"),
        Changes("reals in an integer column", f => f.IsNumber && f.Type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt && f.P.Reals > 0,
            _ => PgType.Numeric,
            f => $"{Count(f.P.Reals, "real value")} (a fraction, or an integer beyond 64 bits) stored → numeric (exact, keeps the integers too)"),
        Changes("integers beyond a narrow type", f => f.IsNumber && f.P is { MinInteger: { } min, MaxInteger: { } max } && f.Type.Kind switch
            {
                PgTypeKind.SmallInt => min < short.MinValue || max > short.MaxValue,
                PgTypeKind.Integer => min < int.MinValue || max > int.MaxValue,
                _ => false,
            },
            f => f.P.MinInteger >= int.MinValue && f.P.MaxInteger <= int.MaxValue ? PgType.Integer : PgType.BigInt,
            f => $"values from {f.P.MinInteger?.ToString(CultureInfo.InvariantCulture)} to {f.P.MaxInteger?.ToString(CultureInfo.InvariantCulture)} stored → {f.Type.ToSql()}"),
        Notes("texts in a number column", f => f.IsNumber && f.P.Texts > 0,
            f => $"{Count(f.P.Texts, "text value")}{Sample(f.P)} {(f.P.Texts == 1 ? "is" : "are")} not {(f.Type.Kind == PgTypeKind.BigInt ? "integers" : "numbers")}: those rows will be rejected"),

        // Booleans: integers other than 0/1 make a bigint, mostly other texts a text; else texts like 'true' are read.
        Decides("integers other than 0/1", f => f.IsBoolean && f.P.Integers > 0 && f.P.Texts == 0, _ => PgType.BigInt,
            f => $"integers from {f.P.MinInteger?.ToString(CultureInfo.InvariantCulture)} to {f.P.MaxInteger?.ToString(CultureInfo.InvariantCulture)} stored, not just 0/1 → bigint"),
        Decides("mostly texts that are not booleans", f => f.IsBoolean && f.OddTexts > 0 && f.OddTexts * 2 > f.Rows, _ => PgType.Text,
            f => $"{Count(f.OddTexts, "text value")}{Sample(f.P)} in {Count(f.Rows, "row")} are not booleans → text (every value kept)"),
        Notes("texts spelled as booleans", f => f.IsBoolean && f.P.SpecialTexts > 0,
            f => $"{Count(f.P.SpecialTexts, "text value")} like 'true'/'f' read as booleans"),
        Notes("texts that are not booleans", f => f.IsBoolean && f.OddTexts > 0,
            f => $"{Count(f.OddTexts, "text value")}{Sample(f.P)} are not booleans: those rows will be rejected"),
        Notes("numbers other than 0/1", f => f.IsBoolean && f.P.Integers + f.P.Reals > 0,
            f => $"{Count(f.P.Integers + f.P.Reals, "number")} other than 0/1 stored: those rows will be rejected"),

        // Dates and times: a date with times of day becomes a timestamp; numbers are epochs or julian days (not for time).
        Changes("times of day in a date column", f => f.Declared.Kind == PgTypeKind.Date && f.P.SpecialTexts > 0, _ => PgType.Timestamp,
            f => $"{Count(f.P.SpecialTexts, "value")} with a time of day → timestamp (a date would drop it)"),
        Notes("integers as Unix epochs", f => f.IsTemporal && f.Declared.Kind != PgTypeKind.Time && f.P is { Integers: > 0, MinInteger: not null, MaxInteger: not null }, Epochs),
        Notes("reals as julian days", f => f.IsTemporal && f.Declared.Kind != PgTypeKind.Time && f.P.Reals > 0,
            f => $"{Count(f.P.Reals, "real")} read as julian day numbers"),
        Notes("texts with a zone in a timestamp column", f => f.Declared.Kind == PgTypeKind.Timestamp && f.P.SpecialTexts > 0,
            f => $"text values with a UTC offset or 'Z' stored ({f.P.SpecialTexts.ToString(CultureInfo.InvariantCulture)} in the first " +
                $"{SqliteValueChecks.ZoneSampleRows.ToString("N0", CultureInfo.InvariantCulture)} rows): converted to UTC"),

        // Text: a varchar(n) holding longer values becomes text; blobs are decoded.
        Decides("values longer than varchar(n)", f => f.Declared is { Kind: PgTypeKind.Varchar or PgTypeKind.Char, Length: { } n } && f.P.MaxTextLength > n, _ => PgType.Text,
            f => $"values up to {f.P.MaxTextLength?.ToString(CultureInfo.InvariantCulture)} characters stored (SQLite does not enforce {f.Declared.Length?.ToString(CultureInfo.InvariantCulture)}) → text"),
        Notes("blobs in a text column", f => f.Declared.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char && f.P.Blobs > 0,
            f => $"{Count(f.P.Blobs, "blob")} decoded as text"),

        // What the readers will reject, where the declared type stays.
        Notes("numbers in a time or uuid column", f => f.Declared.Kind is PgTypeKind.Time or PgTypeKind.Uuid && f.P.Integers + f.P.Reals > 0,
            f => $"{Count(f.P.Integers + f.P.Reals, "number")} stored: those rows will be rejected"),
        Notes("blobs in a number, boolean, date or time column", f => (f.IsNumber || f.IsBoolean || f.IsTemporal) && f.P.Blobs > 0,
            f => $"{Count(f.P.Blobs, "blob")} stored: those rows will be rejected"),
    ];

    /// <summary>
    /// The type the stored values call for, given the declared type's rule and type. Returns the final type
    /// and appends what was decided (and why) to <paramref name="decisions"/>, which become the table's notes
    /// and the column's rule text.
    /// </summary>
    public static PgType Decide(SqliteTypeRule rule, PgType declared, SqliteColumnProfile p, long rows, List<string> decisions)
    {
        var facts = new Facts(rule.Policy, declared, p, rows);
        foreach (var r in Rules)
        {
            if (!r.When(facts))
                continue;
            if (r.Becomes is { } becomes)
                facts.Type = becomes(facts);
            decisions.Add(r.Note(facts));
            if (r.Decides)
                break;
        }

        return facts.Type;
    }

    static Rule Decides(string name, Func<Facts, bool> when, Func<Facts, PgType> becomes, Func<Facts, string> note) => new(name, when, note, becomes, Decides: true);

    static Rule Changes(string name, Func<Facts, bool> when, Func<Facts, PgType> becomes, Func<Facts, string> note) => new(name, when, note, becomes);

    static Rule Notes(string name, Func<Facts, bool> when, Func<Facts, string> note) => new(name, when, note);

    static string Count(long n, string what) => $"{n.ToString(CultureInfo.InvariantCulture)} {what}{(n == 1 ? "" : "s")}";

    static string Sample(SqliteColumnProfile p) => p.SampleText is { } s ? $" (e.g. '{(s.Length > 40 ? s[..37] + "..." : s)}')" : "";

    /// <summary>The reader takes each integer's unit from its own magnitude: the note names every unit the range spans.</summary>
    static string Epochs(Facts f)
    {
        var (min, max) = (f.P.MinInteger!.Value, f.P.MaxInteger!.Value);
        static string Unit(long v) => Math.Abs((decimal)v) >= SqliteTemporal.MicrosecondThreshold ? "microseconds"
            : Math.Abs((decimal)v) >= SqliteTemporal.MillisecondThreshold ? "milliseconds" : "seconds";
        var (smallest, largest) = (min <= 0 && max >= 0 ? "seconds" : Unit(Math.Abs((decimal)min) < Math.Abs((decimal)max) ? min : max),
            Unit(Math.Abs((decimal)min) > Math.Abs((decimal)max) ? min : max));
        return smallest == largest
            ? $"{Count(f.P.Integers, "integer")} read as Unix epoch {largest} (UTC)"
            : $"{Count(f.P.Integers, "integer")} read as Unix epoch {smallest} to {largest}, each by its magnitude (UTC)";
    }
}
