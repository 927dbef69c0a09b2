using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// A relation DuckDB reads (a table, or the files of a glob) as a <see cref="TableModel"/>: each column's type
/// mapped by <see cref="DuckDbTypeMapping"/>, its ENUM types named and added to the model once.
/// </summary>
internal sealed class DuckDbTableBuilder(string description, NamingRule names)
{
    /// <summary>Named ENUM types of a DuckDB database, by their labels (a column's type does not carry the name).</summary>
    readonly Dictionary<string, string> _enumNames = [];

    /// <summary>A named ENUM type of the database: a column with its labels takes its name.</summary>
    public void NameEnum(IEnumerable<string> labels, string name) => _enumNames.TryAdd(LabelKey(labels), name);

    public TableModel Build(DuckDbConnection connection, SourceModel model, string? schema, string name, string from, string describeSql)
    {
        IReadOnlyList<DuckDbField> fields;
        try
        {
            fields = connection.Describe(describeSql);
        }
        catch (FerryException e)
        {
            throw new FerryException($"{description}: DuckDB cannot read {(schema is null ? name : schema + "." + name)}: {e.Message}", FailureKind.Configuration, e);
        }

        var columns = new List<ColumnModel>();
        var types = new Dictionary<string, DuckDbTypeInfo>();
        var notes = new List<string>();
        foreach (var field in fields)
        {
            var mapped = DuckDbTypeMapping.Map(field.Type, () => EnumType(model, field.Type, name, field.Name), description, name, field.Name);
            columns.Add(new ColumnModel { SourceName = field.Name, SourceType = field.Type.ToSql(), Type = mapped.Type, Rule = mapped.Rule, Refusal = mapped.Refusal });
            if (mapped.Note is { } note)
                notes.Add(note);
            types[field.Name] = field.Type;
        }

        return new TableModel { SourceSchema = schema, SourceName = name, Columns = columns, Notes = notes, SourceState = new DuckDbTableState(from, types) };
    }

    /// <summary>A named DuckDB ENUM type keeps its name; an anonymous one is named table_column.</summary>
    string EnumType(SourceModel model, DuckDbTypeInfo type, string table, string column)
    {
        var typeName = type.Alias is { Length: > 0 } alias ? alias
            : _enumNames.TryGetValue(LabelKey(type.EnumLabels), out var named) ? named
            : $"{table}_{column}";
        var name = new EnumModel("public", Identifiers.Truncate(names.Apply(typeName)), type.EnumLabels);
        var existing = model.Enums.FirstOrDefault(e => e.QualifiedName == name.QualifiedName);
        if (existing is null)
            model.Enums.Add(name);
        else if (!existing.Labels.SequenceEqual(type.EnumLabels))
            throw new FerryException($"{description}: two ENUM types become {name.QualifiedName} with different labels; rename one of them.");
        return name.QualifiedName;
    }

    static string LabelKey(IEnumerable<string> labels) => string.Join('\u001f', labels);
}
