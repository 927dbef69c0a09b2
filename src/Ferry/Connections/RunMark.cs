using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ferry.Connections;

/// <summary>
/// The <c>application_name</c> every connection of one run carries, <c>ferry KIND SCOPE/RUN</c>: SCOPE a short hash
/// of what the run works on (a copy's state key, a migration history table), RUN this run's own id. A killed client's
/// backends keep running what they were sent; with the mark, a later run of the same scope finds them in
/// <c>pg_stat_activity</c> (<see cref="EarlierRunSessions"/>).
/// </summary>
internal sealed class RunMark
{
    /// <summary>PostgreSQL keeps this many bytes of an application_name (NAMEDATALEN - 1).</summary>
    const int MaxBytes = 63;

    public RunMark(string kind, string scope)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"ferry.{kind}:{scope}"));
        ScopePrefix = $"ferry {kind} {Convert.ToHexStringLower(hash, 0, 6)}/";
        Mark = ScopePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        LockKey = BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    /// <summary>What every run of the scope carries: <c>ferry copy 1a2b3c4d5e6f/</c>.</summary>
    public string ScopePrefix { get; }

    /// <summary>This run's own mark: the scope prefix and its run id.</summary>
    public string Mark { get; }

    /// <summary>An advisory lock key of the scope (the first 8 bytes of its hash).</summary>
    public long LockKey { get; }

    /// <summary>
    /// The application_name for a connection: the mark alone when the user set none (or Ferry's default), else the
    /// user's name, cut short and made printable ASCII (which PostgreSQL would otherwise rewrite), then the mark in
    /// parentheses, so that PostgreSQL's 63-byte cut never reaches the mark.
    /// </summary>
    public string ApplicationName(string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName == "ferry" || userName.Contains(ScopePrefix, StringComparison.Ordinal))
            return Mark;
        var room = MaxBytes - Mark.Length - 3;
        var kept = new string(userName.Take(room).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray()).TrimEnd();
        return $"{kept} ({Mark})";
    }
}
