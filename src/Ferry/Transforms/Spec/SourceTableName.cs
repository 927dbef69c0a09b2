namespace Ferry.Transforms.Spec;

/// <summary>
/// A source table as a transform names it: <c>users</c>, <c>app.users</c>, or with quoted parts
/// (<c>"Forecasts".curve_definitions</c>, <c>"Order Lines"</c>). A quoted part matches the source's name exactly; an
/// unquoted one also matches it in another case (the source keeps <c>Users</c>, the file says <c>users</c>).
/// </summary>
public sealed record SourceTableName(string? Schema, string Name, bool SchemaQuoted = false, bool NameQuoted = false)
{
    /// <summary><c>schema.name</c>, unquoted, as the source's tables are named in messages.</summary>
    public string Qualified => Schema is null ? Name : $"{Schema}.{Name}";

    /// <summary>Whether it names the source table <paramref name="schema"/>.<paramref name="name"/> (schema null: a source without schemas).</summary>
    public bool Matches(string? schema, string name) =>
        Same(Name, name, NameQuoted) && (Schema is null || (schema is not null && Same(Schema, schema, SchemaQuoted)));

    static bool Same(string written, string actual, bool quoted) =>
        quoted ? written == actual : string.Equals(written, actual, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Qualified;

    /// <summary>The name written as a key of the transform; null when it is not one (why, in <paramref name="problem"/>).</summary>
    public static SourceTableName? Parse(string text, out string? problem)
    {
        var parts = new List<(string Text, bool Quoted)>();
        var i = 0;
        problem = null;
        while (i <= text.Length)
        {
            if (i < text.Length && text[i] == '"')
            {
                var part = new System.Text.StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= text.Length)
                    {
                        problem = "a quoted name has no closing '\"'";
                        return null;
                    }

                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                        part.Append(text[++i]);
                    else if (text[i] == '"')
                        break;
                    else
                        part.Append(text[i]);
                }

                parts.Add((part.ToString(), true));
                i++;
            }
            else
            {
                var end = text.IndexOf('.', i);
                end = end < 0 ? text.Length : end;
                parts.Add((text[i..end].Trim(), false));
                i = end;
            }

            if (i < text.Length && text[i] != '.')
            {
                problem = $"'{text[i]}' follows a quoted name (write schema.table, quoting a part as \"Part\")";
                return null;
            }

            i++;
        }

        if (parts.Any(p => p.Text.Length == 0))
            problem = "a part of the name is empty";
        else if (parts.Count > 2)
            problem = "a table is named as table or schema.table (quote a part that holds a dot: \"a.b\")";
        if (problem is not null)
            return null;
        return parts.Count == 1
            ? new SourceTableName(null, parts[0].Text, NameQuoted: parts[0].Quoted)
            : new SourceTableName(parts[0].Text, parts[1].Text, parts[0].Quoted, parts[1].Quoted);
    }
}
