namespace Ferry.Copy.Internal;

/// <summary>
/// A table's rejects grouped by column and reason pattern (the reason with the value it quotes cut out), with a few
/// samples each; at most <see cref="RejectGroup.MaxGroups"/> groups, the rest counted together. Not thread-safe: its
/// <see cref="RejectLog"/> calls it under its lock. A reject that joins a group allocates nothing.
/// </summary>
internal sealed class RejectGroups
{
    const string Cut = "…";

    /// <summary>A reason pattern: <c>Prefix</c>, then the value, then <c>Suffix</c>; or, when it quoted no value, <c>Prefix</c> whole.</summary>
    sealed class Group(string? column, string prefix, string? suffix)
    {
        public string? Column { get; } = column;

        public string Prefix { get; } = prefix;

        public string? Suffix { get; } = suffix;

        public long Rows { get; set; }

        public List<RejectSample> Samples { get; } = new(RejectGroup.SampleCount);

        public bool Matches(string? column, ReadOnlySpan<char> reason, int at, int length) =>
            string.Equals(Column, column, StringComparison.Ordinal) && (at < 0
                ? Suffix is null && reason.SequenceEqual(Prefix)
                : Suffix is not null && reason[..at].SequenceEqual(Prefix) && reason[(at + length)..].SequenceEqual(Suffix));

        public RejectGroup ToRecord() => new(Column, Suffix is null ? Prefix : Prefix + Cut + Suffix, Rows, [.. Samples]);
    }

    readonly List<Group> _groups = [];
    Group? _other;

    public void Add(RowIssue issue)
    {
        var (at, length) = Quoted(issue.Reason, issue.Value);
        Group? group = null;
        foreach (var candidate in _groups)
        {
            if (candidate.Matches(issue.Column, issue.Reason, at, length))
            {
                group = candidate;
                break;
            }
        }

        if (group is null)
        {
            if (_groups.Count < RejectGroup.MaxGroups)
                _groups.Add(group = at < 0 ? new Group(issue.Column, issue.Reason, null) : new Group(issue.Column, issue.Reason[..at], issue.Reason[(at + length)..]));
            else
                group = _other ??= new Group(null, RejectGroup.OtherReasons, null);
        }

        group.Rows++;
        if (group.Samples.Count < RejectGroup.SampleCount)
            group.Samples.Add(new RejectSample(issue.Key, issue.Value));
    }

    /// <summary>The groups, most rows first (ties in the order first met), the other reasons last.</summary>
    public IReadOnlyList<RejectGroup> ToList() =>
        [.. _groups.OrderByDescending(g => g.Rows).Select(g => g.ToRecord()), .. _other is null ? [] : (RejectGroup[])[_other.ToRecord()]];

    /// <summary>
    /// Where <paramref name="reason"/> quotes <paramref name="value"/>: its first occurrence standing alone (not inside a
    /// longer word or number), else a quoted <c>'…'</c> the value starts with (a shortened preview); (-1, 0) if neither.
    /// </summary>
    internal static (int At, int Length) Quoted(string reason, string? value)
    {
        if (value is null)
            return (-1, 0);
        if (value.Length > 0)
        {
            for (var at = reason.IndexOf(value, StringComparison.Ordinal); at >= 0; at = reason.IndexOf(value, at + 1, StringComparison.Ordinal))
            {
                if (StandsAlone(reason, at, value.Length))
                    return (at, value.Length);
            }
        }

        var open = reason.IndexOf('\'', StringComparison.Ordinal);
        while (open >= 0)
        {
            var close = reason.IndexOf('\'', open + 1);
            if (close < 0)
                break;
            var quoted = reason.AsSpan(open + 1, close - open - 1);
            var shown = quoted.EndsWith("...") ? quoted[..^3] : quoted.EndsWith(Cut) ? quoted[..^1] : quoted;
            if (shown.Length == quoted.Length ? quoted.SequenceEqual(value) : value.AsSpan().StartsWith(shown))
                return (open + 1, quoted.Length);
            open = reason.IndexOf('\'', close + 1);
        }

        return (-1, 0);
    }

    /// <summary>Not a part of a longer word or number: "5" is not quoted by "numeric(15,2)".</summary>
    static bool StandsAlone(string reason, int at, int length)
    {
        var end = at + length;
        return (at == 0 || !IsWordChar(reason[at - 1]) || !IsWordChar(reason[at]))
            && (end == reason.Length || !IsWordChar(reason[end]) || !IsWordChar(reason[end - 1]));
    }

    static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.';
}
