-- The constraints of the tables $1 declared on them (not inherited, not a partition's copy of its parent's): primary, unique, exclusion, check, foreign.
-- A check's expression and a key's columns as the server has them; foreign keys with their referenced table.
SELECT c.conrelid::int8, c.conname, c.contype::text, pg_get_constraintdef(c.oid) AS definition,
       CASE WHEN c.contype = 'c' THEN pg_get_expr(c.conbin, c.conrelid) END AS check_sql,
       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
       fn.nspname AS referenced_schema, fc.relname AS referenced_table,
       ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS referenced_columns,
       c.confdeltype::text, c.confupdtype::text, c.condeferrable, c.condeferred, c.convalidated,
       obj_description(c.oid, 'pg_constraint') AS comment, c.connoinherit,
       (SELECT ic.reloptions FROM pg_class ic WHERE ic.oid = c.conindid AND c.contype IN ('p', 'u', 'x')) AS index_options
FROM pg_constraint c
LEFT JOIN pg_class fc ON fc.oid = c.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE c.conrelid = ANY ($1::oid[]) AND c.contype IN ('p', 'u', 'x', 'c', 'f') AND c.conislocal
  AND c.conparentid = 0
ORDER BY c.conrelid, c.contype, c.conname
