using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Postgres;

/// <summary>
/// The source's COPY of a table (or range) and the layout of its fields: one per copied column, and, for a column a
/// <c>--cast</c> gives another type on a server that can test its input (PostgreSQL 16+), two more after it: the value's
/// text when the cast would fail, and why (<c>pg_input_error_info</c>), so that such a row is rejected, not the table.
/// A column with steps is read as its text (<c>::text</c>), which the reader gives the steps as text
/// (<see cref="TextFields"/>); the others come in their binary form, passed through.
/// </summary>
internal sealed record SourceCopy(string Sql, IReadOnlyList<string?> CheckedCasts, IReadOnlyList<bool>? TextFields = null)
{
    public static SourceCopy For(PlannedTable table, ReadRange range, bool canTestInput)
    {
        var state = (PostgresTableState)table.Source.SourceState!;
        var casts = table.Copied.Select(c => c.Type.Kind == PgTypeKind.Verbatim || c.Steps.Count > 0 ? null : c.Type.ToSql()).ToList();
        var stepped = table.HasSteps ? table.Copied.Select(c => c.Steps.Count > 0).ToArray() : null;
        var json = JsonFields(table);
        if (!state.Partitioned && table.Source.SourceQuery is null && table.Source.SourceFilter is null && range.IsAll && stepped is null && json.Count == 0 && casts.All(c => c is null) && table.Copied.Count > 0)
            return new SourceCopy($"COPY {Identifiers.Qualify(table.Source.SourceSchema!, table.Source.SourceName)} ({string.Join(", ", table.Copied.Select(c => Identifiers.Quote(c.SourceName)))}) TO STDOUT (FORMAT binary)", casts);
        var fields = new List<string>();
        for (var i = 0; i < table.Copied.Count; i++)
        {
            var column = Identifiers.Quote(table.Copied[i].SourceName);
            if (stepped?[i] == true)
                fields.Add($"{column}::text");
            else if (casts[i] is not { } type)
                fields.Add(column);
            else if (!canTestInput)
                fields.Add($"{column}::{type}");
            else
            {
                // Cast through the value's text, which the server tests first: what it cannot cast is rejected with its reason.
                var valid = $"pg_input_is_valid({column}::text, {Identifiers.Literal(type)})";
                fields.Add($"CASE WHEN {valid} THEN {column}::text::{type} END");
                fields.Add($"CASE WHEN NOT {valid} THEN {column}::text END");
                fields.Add($"CASE WHEN NOT {valid} THEN (pg_input_error_info({column}::text, {Identifiers.Literal(type)})).message END");
            }
        }

        fields.AddRange(json);
        var sql = $"COPY (SELECT {string.Join(", ", fields)} FROM {Rows(table.Source, range)}) TO STDOUT (FORMAT binary)";
        IReadOnlyList<string?> checkedCasts = canTestInput ? casts : new string?[casts.Count];
        if (json.Count == 0)
            return new SourceCopy(sql, checkedCasts, stepped);
        return new SourceCopy(sql, [.. checkedCasts, .. json.Select(_ => (string?)null)], [.. stepped ?? new bool[casts.Count], .. json.Select(_ => true)]);
    }

    /// <summary>
    /// The JSON of each fold member the server makes (<see cref="PlannedTable.ServerJsonMembers"/>): <c>to_jsonb</c> of
    /// the column, as text, read after the copied columns; copy and verify read the same expression.
    /// </summary>
    public static List<string> JsonFields(PlannedTable table) =>
        [.. table.ServerJsonMembers.Select(m => $"to_jsonb({Identifiers.Quote(table.Copied[table.Folds[m.Fold].Members[m.Key]].SourceName)})::text")];

    /// <summary>
    /// The rows as <paramref name="fields"/> select them, each a text expression over the copied columns (which are read
    /// as the copy reads them: a <c>--cast</c> column cast), all given to the sink as text.
    /// </summary>
    public static SourceCopy Texts(PlannedTable table, ReadRange range, IReadOnlyList<string> fields)
    {
        var columns = table.Copied.Select(c =>
        {
            var quoted = Identifiers.Quote(c.SourceName);
            return c.Type.Kind == PgTypeKind.Verbatim || c.Steps.Count > 0 ? quoted : $"{quoted}::{c.Type.ToSql()} AS {quoted}";
        });
        var copied = table.Copied.Count == 0 ? "" : string.Join(", ", columns);
        var sql = $"COPY (SELECT {string.Join(", ", fields.Select(f => $"({f})::text"))} FROM (SELECT {copied} FROM {Rows(table.Source, range)}) copied) TO STDOUT (FORMAT binary)";
        return new SourceCopy(sql, new string?[fields.Count], [.. fields.Select(_ => true)]);
    }

    /// <summary>What a table's rows are read from: its relation (a partitioned table through its partitions, another without its children), or a derived table's query.</summary>
    public static string Relation(TableModel table)
    {
        if (table.SourceQuery is { } query)
            return $"({query}) AS {Identifiers.Quote(table.SourceName)}";
        var state = (PostgresTableState)table.SourceState!;
        return (state.Partitioned ? "" : "ONLY ") + Identifiers.Qualify(table.SourceSchema!, table.SourceName);
    }

    /// <summary>The relation and the conditions of the rows read: the table's filter, the range's bounds.</summary>
    static string Rows(TableModel table, ReadRange range)
    {
        var state = (PostgresTableState)table.SourceState!;
        var conditions = new List<string>();
        if (table.SourceFilter is { } where)
            conditions.Add($"({where})");
        if (range.From is { } from)
            conditions.Add(state.RangeKey is { } key ? $"{key} >= {Number(from)}" : $"ctid >= '({Number(from)},0)'::tid");
        if (range.To is { } to)
            conditions.Add(state.RangeKey is { } key ? $"{key} <= {Number(to)}" : $"ctid < '({Number(to + 1)},0)'::tid");
        return Relation(table) + (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions));
    }

    /// <summary>The fields a row has.</summary>
    public int Fields => CheckedCasts.Count + 2 * CheckedCasts.Count(c => c is not null);

    static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
