using System.Text.RegularExpressions;

namespace Ferry.Migrations.Internal;

/// <summary>A versioned migration (up file, optional down file) or a repeatable one (<c>R__name.sql</c>).</summary>
internal sealed record MigrationFiles(MigrationKind Kind, MigrationVersion? Version, string Name, string UpPath, string? DownPath)
{
    public string UpFileName => Path.GetFileName(UpPath);

    /// <summary>How history rows refer to it: the version, or the name for a repeatable migration.</summary>
    public string Key => Version?.Text ?? Name;
}

/// <summary>
/// Reads a migrations folder (and adds a new migration to it). Recognized names: <c>001_name.up.sql</c>/<c>.down.sql</c>,
/// <c>001_name_UP.sql</c>/<c>_DOWN.sql</c>, Flyway's <c>V1_2__name.sql</c>/<c>U1_2__name.sql</c> and
/// <c>R__name.sql</c>. Any other <c>.sql</c> file, two files with one version, or a down file without its up
/// file is a configuration error: nothing in the folder is ignored silently.
/// </summary>
internal static partial class MigrationDirectory
{
    public const string AcceptedForms = "001_name.up.sql + 001_name.down.sql, 001_name_UP.sql + 001_name_DOWN.sql, V1_2__name.sql + U1_2__name.sql, R__name.sql";

    enum Direction
    {
        Up,
        Down,
        Repeatable,
    }

    sealed record ParsedName(Direction Direction, MigrationVersion? Version, string Name, string Path);

    [GeneratedRegex(@"^(?<v>\d+(?:[._]\d+)*)_(?<n>.+)\.(?<d>up|down)\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex DottedForm();

    [GeneratedRegex(@"^(?<v>\d+(?:[._]\d+)*)_(?<n>.+)_(?<d>up|down)\.sql$", RegexOptions.IgnoreCase)]
    private static partial Regex SuffixForm();

    [GeneratedRegex(@"^(?<d>[VU])(?<v>\d+(?:[._]\d+)*)__(?<n>.+)\.(?i:sql)$")]
    private static partial Regex FlywayForm();

    [GeneratedRegex(@"^R__(?<n>.+)\.(?i:sql)$")]
    private static partial Regex RepeatableForm();

    static ParsedName? ParseName(string path)
    {
        var file = Path.GetFileName(path);
        if (RepeatableForm().Match(file) is { Success: true } r)
            return new ParsedName(Direction.Repeatable, null, r.Groups["n"].Value, path);
        foreach (var regex in new[] { DottedForm(), SuffixForm(), FlywayForm() })
        {
            var m = regex.Match(file);
            if (!m.Success)
                continue;
            var d = m.Groups["d"].Value.ToUpperInvariant();
            var direction = d is "UP" or "V" ? Direction.Up : Direction.Down;
            return new ParsedName(direction, MigrationVersion.Parse(m.Groups["v"].Value), m.Groups["n"].Value, path);
        }

        return null;
    }

    public static bool IsFlywayStyle(string fileName) => FlywayForm().IsMatch(fileName);

    /// <summary>The version and name a file name reads as (null: not a migration file name).</summary>
    public static (MigrationVersion? Version, string Name)? ReadName(string fileName) =>
        ParseName(fileName) is { } parsed ? (parsed.Version, parsed.Name) : null;

    /// <summary>Versioned migrations in version order, then repeatable ones by name.</summary>
    public static List<MigrationFiles> Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new FerryException($"The migrations folder {directory} does not exist: create it with 'ferry migrate init', or point --dir (or FERRY_MIGRATIONS) at it.");

        var ups = new Dictionary<MigrationVersion, ParsedName>();
        var downs = new Dictionary<MigrationVersion, ParsedName>();
        var repeatables = new Dictionary<string, ParsedName>(StringComparer.Ordinal);
        // Any case: the name patterns accept 002_a.UP.SQL, and a file that is skipped would be skipped silently.
        var sqlFiles = Directory.EnumerateFiles(directory, "*.sql", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive });
        foreach (var path in sqlFiles.Order(StringComparer.Ordinal))
        {
            var parsed = ParseName(path) ?? throw new FerryException(
                $"{path}: not a migration file name. Rename it to one of: {AcceptedForms}; or move it out of {directory}.");
            if (parsed.Direction == Direction.Repeatable)
            {
                repeatables.Add(parsed.Name, parsed);
                continue;
            }

            var into = parsed.Direction == Direction.Up ? ups : downs;
            if (into.TryGetValue(parsed.Version!, out var other))
            {
                throw new FerryException(
                    $"Two {(parsed.Direction == Direction.Up ? "" : "down ")}migration files have version {parsed.Version}: {Path.GetFileName(other.Path)} and {Path.GetFileName(path)}. Give one of them another version.");
            }

            into.Add(parsed.Version!, parsed);
        }

        foreach (var (version, down) in downs)
        {
            if (!ups.ContainsKey(version))
                throw new FerryException($"{down.Path}: a down migration for version {version} without its up file. Add the up file or remove this one.");
        }

        var migrations = ups.Values
            .OrderBy(u => u.Version)
            .Select(u => new MigrationFiles(MigrationKind.Versioned, u.Version, u.Name, u.Path, downs.GetValueOrDefault(u.Version!)?.Path))
            .ToList();
        migrations.AddRange(repeatables.Values.OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new MigrationFiles(MigrationKind.Repeatable, null, r.Name, r.Path, null)));
        return migrations;
    }

    /// <summary>The up and down files of <see cref="Migrator.NewMigration"/>, numbered and named in the folder's style.</summary>
    public static IReadOnlyList<string> Create(string directory, string name)
    {
        // Letters of any script stay, with their combining marks (é typed as e + U+0301 too); whatever else separates words becomes '_'.
        var slug = NonWord().Replace(name.Trim().ToLowerInvariant(), "_").Trim('_');
        if (slug.Length == 0)
            throw new FerryException($"'{name}' is not a usable migration name: use letters, digits and underscores, e.g. create_users.");
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        var existing = Load(directory).Where(m => m.Version is not null).ToList();
        var next = existing.Count == 0 ? 1 : existing.Max(m => m.Version!.Major) + 1;
        var width = existing.Count == 0 ? 3 : existing.Max(m => m.UpFileName.TakeWhile(c => c is 'V' or (>= '0' and <= '9')).Count(char.IsAsciiDigit));
        var number = next.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
        var names = existing.Any(m => IsFlywayStyle(m.UpFileName))
            ? ($"V{next}__{slug}.sql", $"U{next}__{slug}.sql")
            : existing.Any(m => m.UpFileName.EndsWith("_UP.sql", StringComparison.OrdinalIgnoreCase))
                ? ($"{number}_{slug}_UP.sql", $"{number}_{slug}_DOWN.sql")
                : ($"{number}_{slug}.up.sql", $"{number}_{slug}.down.sql");
        // 002_2_factor.up.sql would read as version 002.2 named 'factor': refuse a name the folder would misread.
        if (ReadName(names.Item1) is { } read && read.Name != slug)
        {
            throw new FerryException(
                $"'{name}' would make {names.Item1}, which reads as version {read.Version} named '{read.Name}'. Nothing was created. Start the name with a letter, e.g. 'add_{slug}'.");
        }

        var up = Path.Combine(directory, names.Item1);
        var down = Path.Combine(directory, names.Item2);
        File.WriteAllText(up, $"-- {slug}: the change\n");
        File.WriteAllText(down, $"-- {slug}: undo what {names.Item1} did\n");
        return [up, down];
    }

    [GeneratedRegex(@"[^\p{L}\p{M}0-9]+")]
    private static partial Regex NonWord();
}
