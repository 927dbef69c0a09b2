-- The views and materialized views of the schemas $1 (not an extension's): the query as pg_get_viewdef writes it
-- (search_path is pg_catalog, so every other relation is schema-qualified), the storage options (security_barrier,
-- check_option), the output columns, the comments, and the tables and views its query uses.
SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text, pg_get_viewdef(c.oid) AS query,
       coalesce(c.reloptions, '{}') AS options,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
       obj_description(c.oid, 'pg_class') AS comment,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NOT NULL ORDER BY a.attnum) AS commented_columns,
       ARRAY(SELECT col_description(c.oid, a.attnum) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NOT NULL ORDER BY a.attnum) AS column_comments,
       ARRAY(SELECT DISTINCT d.refobjid::int8 FROM pg_rewrite r
             JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
             JOIN pg_class u ON u.oid = d.refobjid
             WHERE r.ev_class = c.oid AND d.refobjid <> c.oid AND u.relkind IN ('r', 'p', 'f', 'v', 'm')) AS uses
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY ($1)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
