using Ferry.Transforms.Spec;
using Ferry.Transforms.Steps;

namespace Ferry.Transforms;

/// <summary>
/// Turns a <see cref="TransformSpec"/> (the <c>transform:</c> section as read) into what the copy and verify take: each
/// column's steps in a fixed order (normalize, validate, map, hash: a password is hashed last, after its value is
/// final), the type a column is cast to, and the renames and drops. A combination the steps cannot make is refused here,
/// naming the file and line, before anything is read or written.
/// </summary>
public static class TransformBinding
{
    /// <summary>
    /// <paramref name="options"/> with the transform's steps, casts, renames, filters and derived tables added (a
    /// <c>--cast</c> or <c>--where</c> already in the options wins over the file's <c>type:</c> or <c>where:</c>).
    /// </summary>
    public static Copy.CopyOptions Apply(TransformSpec spec, Copy.CopyOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        spec = Selected(spec, options.Tables);
        if (spec.IsEmpty)
            return options;
        var casts = new Dictionary<string, string>(Casts(spec), StringComparer.Ordinal);
        foreach (var (column, type) in options.Casts)
            casts[column] = type;
        var steps = new Dictionary<string, IReadOnlyList<ColumnStep>>(options.ColumnSteps, StringComparer.Ordinal);
        foreach (var (column, list) in ColumnSteps(spec, options.Casts))
            steps[column] = list;
        var renames = new Dictionary<string, Schema.TableRename>(options.TableRenames, StringComparer.Ordinal);
        foreach (var (table, rename) in spec.TableRenames())
            renames[table] = rename;
        return options with
        {
            Casts = casts,
            ColumnSteps = steps,
            TableRenames = renames,
            Filters = Filters(spec, options.Filters),
            Origins = TransformOrigins.Of(spec, options.Filters),
            DerivedTables = Derived(spec, options.DerivedTables),
            TransformDigest = TransformFingerprint.Of(spec),
        };
    }

    /// <summary>A verification's options with the transform's renames and steps (verify reads the source as the copy did).</summary>
    public static Verify.VerifyOptions Apply(TransformSpec spec, Verify.VerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        spec = Selected(spec, options.Tables);
        return spec.IsEmpty ? options : options with
        {
            TableRenames = spec.TableRenames(),
            ColumnSteps = ColumnSteps(spec),
            Origins = TransformOrigins.Of(spec, new Dictionary<string, string>()),
        };
    }

    /// <summary>A source's options with the transform's filters and derived tables (for a verification's source).</summary>
    public static Sources.SourceOptions Apply(TransformSpec spec, Sources.SourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        return spec.IsEmpty ? options : options with
        {
            Filters = Filters(spec, options.Filters),
            Origins = TransformOrigins.Of(spec, options.Filters),
            DerivedTables = Derived(spec, options.DerivedTables),
        };
    }

    /// <summary>
    /// The transform of the tables a <c>--tables</c> selection takes (all without one): a table it leaves out is not
    /// discovered, so its renames and steps would name a table the source does not show; a derived table is copied
    /// only when named too.
    /// </summary>
    public static TransformSpec Selected(TransformSpec spec, IReadOnlyList<string>? tables)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (tables is not { Count: > 0 })
            return spec;
        return new([.. spec.Tables.Where(t => tables.Any(selected =>
        {
            var dot = selected.LastIndexOf('.');
            return dot > 0 ? t.Table.Matches(selected[..dot], selected[(dot + 1)..]) : t.Table.Matches(null, selected);
        }))]);
    }

    /// <summary>The file's <c>where:</c> per table; a <c>--where</c> given for the same table wins.</summary>
    static Dictionary<string, string> Filters(TransformSpec spec, IReadOnlyDictionary<string, string> given)
    {
        var filters = new Dictionary<string, string>(given, StringComparer.Ordinal);
        foreach (var table in spec.Tables.Where(t => t.Where is not null))
            filters.TryAdd(table.Table.Qualified, table.Where!.Text);
        return filters;
    }

    static List<Sources.DerivedTable> Derived(TransformSpec spec, IReadOnlyList<Sources.DerivedTable> given) =>
        [.. given, .. spec.Derived.Select(t => new Sources.DerivedTable(t.Table.Name, t.Query!.Text, t.PrimaryKey))];

    /// <summary>Source <c>table.column</c> → its steps, for <see cref="Copy.CopyOptions.ColumnSteps"/>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ColumnStep>> ColumnSteps(TransformSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ColumnSteps(spec, new Dictionary<string, string>());
    }

    /// <summary>The steps; a column <paramref name="casts"/> types (a <c>--cast</c>) is mapped without its <c>type: enum(…)</c>.</summary>
    static Dictionary<string, IReadOnlyList<ColumnStep>> ColumnSteps(TransformSpec spec, IReadOnlyDictionary<string, string> casts)
    {
        var steps = new Dictionary<string, IReadOnlyList<ColumnStep>>(StringComparer.Ordinal);
        foreach (var table in spec.Tables.Where(t => !t.IsDerived))
        {
            foreach (var column in table.Columns.Where(c => c.HasSteps))
            {
                var name = $"{table.Table.Qualified}.{column.Column}";
                var list = Steps(column, typed: !casts.ContainsKey(name));
                if (list.Count > 0)
                    steps[name] = list;
            }
        }

        return steps;
    }

    /// <summary>Source <c>table.column</c> → the PostgreSQL type a <c>type:</c> gives it, for <see cref="Copy.CopyOptions.Casts"/>.</summary>
    public static IReadOnlyDictionary<string, string> Casts(TransformSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var casts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in spec.Tables.Where(t => !t.IsDerived))
        {
            // An enum is the map step's type (the planner creates it); validate: ip makes the column inet itself.
            foreach (var column in table.Columns.Where(c => c.Type is not null && c.EnumName is null))
            {
                if (!(column.Validate == "ip" && column.Type == "inet"))
                    casts[$"{table.Table.Qualified}.{column.Column}"] = column.Type!;
            }
        }

        return casts;
    }

    static List<ColumnStep> Steps(ColumnTransform column, bool typed)
    {
        var steps = new List<ColumnStep>();
        if (column.Normalize is { } normalize and not "e164")
            steps.Add(new NormalizeStep(normalize switch
            {
                "lower_trim" => TextNormalization.LowerTrim,
                "trim" => TextNormalization.Trim,
                "lower" => TextNormalization.Lower,
                _ => TextNormalization.Upper,
            }));
        var invalid = Policy(column.Invalid);
        switch (column.Validate)
        {
            case "email":
                steps.Add(new ValidateEmailStep(invalid));
                break;
            case "ip":
                steps.Add(new ValidateIpStep(invalid));
                break;
            case "phone":
                var region = column.Region ?? throw new FerryException(
                    $"{column.Origin.Origin}: validate: phone needs region: XX, the country (ISO 3166, e.g. US) numbers written without +country code are read in.",
                    FailureKind.Configuration);
                steps.Add(Built(column, () => new ValidatePhoneStep(region, invalid, column.Normalize == "e164")));
                break;
            case null when column.Normalize == "e164":
                throw new FerryException(
                    $"{column.Origin.Origin}: normalize: e164 needs validate: phone and region: XX (numbers are read as that country's); add invalid: keep to keep the numbers that are not valid.",
                    FailureKind.Configuration);
        }

        if (column.Map is { } pairs)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (from, to) in pairs)
                map[from] = to;
            var type = typed && column.EnumName is { } name ? Enum(name, pairs, column.Default) : null;
            steps.Add(column.Default is { } fallback ? new MapStep(map, fallback) { Enum = type } : new MapStep(map, Policy(column.Unmapped)) { Enum = type });
        }

        if (column.Hash is not null)
            steps.Add(Built(column, () => new BcryptStep(column.Cost ?? 12)));
        return steps;
    }

    /// <summary><c>enum(name)</c> or <c>enum(schema.name)</c> (the reader checked the shape) of the map's values.</summary>
    static MappedEnum Enum(string name, IReadOnlyList<KeyValuePair<string, string>> pairs, string? defaultValue)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? MappedEnum.Of(null, name, pairs, defaultValue) : MappedEnum.Of(name[..dot], name[(dot + 1)..], pairs, defaultValue);
    }

    static ValuePolicy Policy(TransformPolicy? policy) => policy switch
    {
        TransformPolicy.Null => ValuePolicy.Null,
        TransformPolicy.Keep => ValuePolicy.Keep,
        _ => ValuePolicy.Reject,
    };

    /// <summary>A step whose settings it refuses itself (a region, a cost), refused naming the file's line.</summary>
    static ColumnStep Built(ColumnTransform column, Func<ColumnStep> build)
    {
        try
        {
            return build();
        }
        catch (FerryException e)
        {
            throw new FerryException($"{column.Origin.Origin}: {e.Message}", FailureKind.Configuration, e);
        }
    }
}
