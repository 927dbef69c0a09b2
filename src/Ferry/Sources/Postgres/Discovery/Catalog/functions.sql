-- The functions and procedures of the schemas $1 and the functions $2 that no extension owns and no type makes (a
-- range's constructors): signature (for DROP), kind, and pg_get_functiondef's CREATE OR REPLACE (none for an
-- aggregate, which it cannot write).
SELECT p.oid::int8, n.nspname, p.proname, p.prokind::text, p.oid::regprocedure::text AS signature,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE (n.nspname = ANY ($1) OR p.oid = ANY ($2::oid[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
ORDER BY n.nspname, p.proname, p.oid
