using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Postgres;

/// <summary>
/// The source's COPY of a table (or range) and the layout of its fields: one per copied column, and, for a column a
/// <c>--cast</c> gives another type on a server that can test its input (PostgreSQL 16+), two more after it: the value's
/// text when the cast would fail, and why (<c>pg_input_error_info</c>), so that such a row is rejected, not the table.
/// </summary>
internal sealed record SourceCopy(string Sql, IReadOnlyList<string?> CheckedCasts)
{
    public static SourceCopy For(PlannedTable table, ReadRange range, bool canTestInput)
    {
        var state = (PostgresTableState)table.Source.SourceState!;
        var relation = Identifiers.Qualify(table.Source.SourceSchema!, table.Source.SourceName);
        var casts = table.Copied.Select(c => c.Type.Kind == PgTypeKind.Verbatim ? null : c.Type.ToSql()).ToList();
        if (!state.Partitioned && table.Source.SourceFilter is null && range.IsAll && casts.All(c => c is null) && table.Copied.Count > 0)
            return new SourceCopy($"COPY {relation} ({string.Join(", ", table.Copied.Select(c => Identifiers.Quote(c.SourceName)))}) TO STDOUT (FORMAT binary)", casts);
        var fields = new List<string>();
        for (var i = 0; i < table.Copied.Count; i++)
        {
            var column = Identifiers.Quote(table.Copied[i].SourceName);
            if (casts[i] is not { } type)
            {
                fields.Add(column);
                continue;
            }

            if (!canTestInput)
            {
                fields.Add($"{column}::{type}");
                continue;
            }

            // Cast through the value's text, which the server tests first: what it cannot cast is rejected with its reason.
            var valid = $"pg_input_is_valid({column}::text, {Identifiers.Literal(type)})";
            fields.Add($"CASE WHEN {valid} THEN {column}::text::{type} END");
            fields.Add($"CASE WHEN NOT {valid} THEN {column}::text END");
            fields.Add($"CASE WHEN NOT {valid} THEN (pg_input_error_info({column}::text, {Identifiers.Literal(type)})).message END");
        }

        var conditions = new List<string>();
        if (table.Source.SourceFilter is { } where)
            conditions.Add($"({where})");
        if (range.From is { } from)
            conditions.Add(state.RangeKey is { } key ? $"{key} >= {Number(from)}" : $"ctid >= '({Number(from)},0)'::tid");
        if (range.To is { } to)
            conditions.Add(state.RangeKey is { } key ? $"{key} <= {Number(to)}" : $"ctid < '({Number(to + 1)},0)'::tid");
        var filter = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        var sql = $"COPY (SELECT {string.Join(", ", fields)} FROM {(state.Partitioned ? "" : "ONLY ")}{relation}{filter}) TO STDOUT (FORMAT binary)";
        return new SourceCopy(sql, canTestInput ? casts : new string?[casts.Count]);
    }

    /// <summary>The fields a row has.</summary>
    public int Fields => CheckedCasts.Count + 2 * CheckedCasts.Count(c => c is not null);

    static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
