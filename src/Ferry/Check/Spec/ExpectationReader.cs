using Ferry.Project;
using Ferry.Transforms.Spec;
using YamlDotNet.RepresentationModel;

namespace Ferry.Check.Spec;

/// <summary>
/// Reads an <c>expect</c> section strictly, as the rest of the project file is read: tables (or <c>before:</c> and
/// <c>after:</c> groups of them), each with its expectations; an unknown key or a value of the wrong shape is refused
/// naming the file, the line and the key. Values are taken as written (no <c>${VAR}</c>): regular expressions and SQL hold <c>$</c>.
/// </summary>
internal static class ExpectationReader
{
    internal static readonly string[] TableKeys = ["rows", "unique", "not_null", "values", "range", "match", "references", "fresh", "sql", "severity"];

    /// <summary>The section's tables; an absent section expects nothing.</summary>
    public static ExpectationSpec Read(YamlMap? section)
    {
        if (section is null)
            return ExpectationSpec.Empty;
        var tables = new List<TableExpectations>();
        foreach (var (key, node, line) in section.Entries)
        {
            if (key is "before" or "after")
            {
                var stage = key == "before" ? CheckStage.Before : CheckStage.After;
                var group = YamlMap.Of(node, section.File, section.Path(key), []);
                foreach (var (name, tableNode, tableLine) in group.Entries)
                    Add(tables, Table(group, name, tableNode, tableLine, stage));
            }
            else
            {
                Add(tables, Table(section, key, node, line, CheckStage.After));
            }
        }

        return new ExpectationSpec(tables);
    }

    static void Add(List<TableExpectations> tables, TableExpectations table)
    {
        if (tables.FirstOrDefault(t => t.Stage == table.Stage && t.Table.Qualified == table.Table.Qualified) is { } twice)
        {
            throw new FerryException(
                $"{table.File}, line {table.Line}: the table {table.Table} has expectations {(table.Stage == CheckStage.Before ? "before" : "after")} already (line {twice.Line}); write them under one key.",
                FailureKind.Configuration);
        }

        tables.Add(table);
    }

    static TableExpectations Table(YamlMap section, string key, YamlNode node, int line, CheckStage stage)
    {
        var name = SourceTableName.Parse(key, out var problem)
            ?? throw TransformReader.Problem(section, line, $"'{key}' in {(section.Where.Length == 0 ? "the file" : section.Where)} is not a table name: {problem}. " +
                "Write table, schema.table, or \"Quoted\".table to keep a name's case.");
        var map = YamlMap.Of(node, section.File, section.Path(key), TableKeys);
        var severity = map.Node("severity") is { } given ? ExpectationKindReader.Severity(map, "severity", given) : CheckSeverity.Error;
        var expectations = new List<Expectation>();
        foreach (var (kind, value, _) in map.Entries)
        {
            if (kind != "severity")
                expectations.AddRange(ExpectationKindReader.Read(map, kind, value, severity));
        }

        return expectations.Count > 0
            ? new TableExpectations(name, stage, expectations, section.File, line)
            : throw TransformReader.Problem(section, line, $"{map.Where} expects nothing: give at least one of {string.Join(", ", TableKeys.SkipLast(1))}.");
    }
}
