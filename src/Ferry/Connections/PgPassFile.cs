namespace Ferry.Connections;

/// <summary>
/// libpq's password file (<c>~/.pgpass</c>, or <c>PGPASSFILE</c>): lines of
/// <c>hostname:port:database:username:password</c>, <c>*</c> matching anything, <c>\:</c> and <c>\\</c> escaped,
/// the first matching line winning.
/// </summary>
internal static class PgPassFile
{
    public static string? DefaultPath(EnvironmentReader env)
    {
        if (env.NonEmpty("PGPASSFILE") is { } explicitPath)
            return explicitPath;
        var home = env.NonEmpty("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".pgpass");
    }

    public static string? Lookup(string path, string host, int port, string database, string user)
    {
        if (!File.Exists(path))
            return null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = Split(line);
            if (fields.Count < 5)
                continue;
            if (Matches(fields[0], host) && Matches(fields[1], port.ToString(System.Globalization.CultureInfo.InvariantCulture)) &&
                Matches(fields[2], database) && Matches(fields[3], user))
                return fields[4];
        }

        return null;
    }

    // libpq treats "localhost" in the file as matching a Unix-socket connection too; Ferry connects over TCP.
    static bool Matches(string pattern, string value) => pattern == "*" || pattern == value;

    static List<string> Split(string line)
    {
        var fields = new List<string>(5);
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else if (c == ':' && fields.Count < 4)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
