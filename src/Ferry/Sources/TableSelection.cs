using Ferry.Schema;

namespace Ferry.Sources;

/// <summary>
/// The tables <c>--tables a,b</c> names: one rule for copy, verify and every source. A name selects each table whose
/// source name or schema-qualified name (<c>sales.b</c>) it equals, exactly; when no table has it exactly, ignoring
/// case; when none has it so, the table whose PostgreSQL name (by the naming rule) it is. A bare name selects that
/// name in every schema. Selected tables come in the order they are named, each once; a name that selects nothing
/// is refused. No names at all select every table.
/// </summary>
internal sealed class TableSelection
{
    /// <summary>The tiers, in order: exact first, so a source whose names differ only in case (<c>"Users"</c>, <c>users</c>) keeps them apart.</summary>
    static readonly (StringComparison Comparison, bool Target)[] Tiers =
        [(StringComparison.Ordinal, false), (StringComparison.OrdinalIgnoreCase, false), (StringComparison.Ordinal, true)];

    readonly IReadOnlyList<string> _names;
    readonly NamingRule _rule;

    TableSelection(IReadOnlyList<string> names, NamingRule rule)
    {
        _names = names;
        _rule = rule;
    }

    /// <summary>The selection of <paramref name="names"/> (null or empty: every table), whose PostgreSQL names <paramref name="rule"/> gives.</summary>
    public static TableSelection Of(IReadOnlyList<string>? names, NamingRule rule) => new(names ?? [], rule);

    /// <summary>No names: every table is selected.</summary>
    public bool IsAll => _names.Count == 0;

    /// <summary>The selected <paramref name="tables"/>, named by <paramref name="nameOf"/> (schema, null where the source has none, and name).</summary>
    /// <exception cref="FerryException">Names that select nothing, in the words <paramref name="describeMissing"/> gives them.</exception>
    public List<T> Select<T>(IReadOnlyList<T> tables, Func<T, (string? Schema, string Name)> nameOf, Func<IReadOnlyList<string>, string> describeMissing)
    {
        if (IsAll)
            return [.. tables];
        var selected = new List<T>();
        var missing = new List<string>();
        foreach (var wanted in _names)
        {
            var found = false;
            foreach (var tier in Tiers)
            {
                foreach (var table in tables.Where(t => Names(wanted, nameOf(t), tier.Comparison, tier.Target)))
                {
                    found = true;
                    if (!selected.Contains(table))
                        selected.Add(table);
                }

                if (found)
                    break;
            }

            if (!found)
                missing.Add(wanted);
        }

        return missing.Count > 0 ? throw new FerryException(describeMissing(missing)) : selected;
    }

    /// <summary>Whether some name selects a table (or a view) called <paramref name="name"/> in <paramref name="schema"/>, in any case.</summary>
    public bool Mentions(string? schema, string name) =>
        IsAll || _names.Any(wanted => Names(wanted, (schema, name), StringComparison.OrdinalIgnoreCase, target: false)
            || Names(wanted, (schema, name), StringComparison.OrdinalIgnoreCase, target: true));

    bool Names(string wanted, (string? Schema, string Name) table, StringComparison comparison, bool target) =>
        target
            ? string.Equals(wanted, Identifiers.Truncate(_rule.Apply(table.Name)), comparison)
            : string.Equals(wanted, table.Name, comparison) || (table.Schema is { } schema && string.Equals(wanted, schema + "." + table.Name, comparison));
}
