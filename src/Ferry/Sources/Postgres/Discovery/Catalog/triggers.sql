-- The user triggers of the tables $1 (not a foreign key's, not a partition's clone of its parent's), as
-- pg_get_triggerdef writes them, with the function each runs, its table and the table's columns.
SELECT t.tgrelid::int8, t.tgname, pg_get_triggerdef(t.oid) AS definition, t.tgfoid::int8, n.nspname, c.relname,
       ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.tgrelid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE t.tgrelid = ANY ($1::oid[]) AND NOT t.tgisinternal AND t.tgparentid = 0
ORDER BY t.tgrelid, t.tgname
