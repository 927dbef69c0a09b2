using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Rollback;

/// <summary>
/// A schema as text, for "as before" assertions: its relations and their kinds, columns (type, NOT NULL, default,
/// identity, generated), constraints and indexes by name and definition, enum types and their labels, views'
/// definitions, sequences' positions (the migrations' history table left out); and each table's rows in key order.
/// </summary>
internal static class SchemaShape
{
    public static Task<string> OfAsync(TestDatabase db, string schema = "public") => db.ScalarAsync<string>($"""
        SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
            SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS x FROM pg_class c WHERE c.relnamespace = '{schema}'::regnamespace
            UNION ALL
            SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
                   || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') || ' ' || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || a.attnum
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = '{schema}'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm')
            UNION ALL
            SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = '{schema}'::regnamespace
            UNION ALL
            SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = '{schema}'
            UNION ALL
            SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = '{schema}'::regnamespace GROUP BY t.typname
            UNION ALL
            SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = '{schema}'
            UNION ALL
            SELECT 'seq ' || sequencename || ' ' || coalesce(last_value::text, 'unused') FROM pg_sequences WHERE schemaname = '{schema}'
        ) s
        WHERE x NOT LIKE '%schema_migrations%'
        """);

    /// <summary>A table's rows as text, in order of <paramref name="orderBy"/>.</summary>
    public static Task<string> RowsAsync(TestDatabase db, string table, string orderBy) =>
        db.ScalarAsync<string>($"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY {orderBy}), '') FROM {table} t");
}
