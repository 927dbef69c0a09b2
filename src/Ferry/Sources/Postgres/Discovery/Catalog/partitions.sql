-- The partitions under the partitioned tables $1, parents before their children: the bound as pg_get_expr writes
-- it, a sub-partitioned partition's own PARTITION BY, whether it is unlogged, its comment and its kind.
SELECT r.oid::int8 AS root, c.oid::int8, n.nspname, c.relname, pn.nspname AS parent_schema, p.relname AS parent_name,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       c.relpersistence = 'u' AS unlogged, obj_description(c.oid, 'pg_class') AS comment, c.relkind::text
FROM unnest($1::oid[]) r(oid)
CROSS JOIN LATERAL pg_partition_tree(r.oid::regclass) t
JOIN pg_class c ON c.oid = t.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class p ON p.oid = t.parentrelid
JOIN pg_namespace pn ON pn.oid = p.relnamespace
WHERE t.level > 0
ORDER BY r.oid, t.level, n.nspname, c.relname
