-- The indexes of the tables $1 that no constraint owns, in the server's words from USING on (the name and table
-- are the target's): pg_get_indexdef always qualifies the table, so its prefix is known exactly.
SELECT i.indrelid::int8, ic.relname, i.indisunique,
       substr(def, length(prefix) + 1) AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
CROSS JOIN LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS def) d
CROSS JOIN LATERAL (SELECT 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(ic.relname)
                           || ' ON ' || CASE WHEN starts_with(d.def, 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END
                                                               || 'INDEX ' || quote_ident(ic.relname) || ' ON ONLY ') THEN 'ONLY ' ELSE '' END
                           || quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || ' ' AS prefix) p
WHERE i.indrelid = ANY ($1::oid[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname
