-- The functions and procedures of the schemas $1 and the functions $2 that no extension owns and no type makes (a
-- range's constructors): signature (for DROP), kind, pg_get_functiondef's CREATE OR REPLACE (for a plain aggregate,
-- which it cannot write, one made from pg_aggregate; none for an ordered-set one), and whether its signature uses a
-- relation's row type (a table's, a view's).
SELECT p.oid::int8, n.nspname, p.proname, p.prokind::text, p.oid::regprocedure::text AS signature,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid)
            WHEN a.aggkind = 'n' THEN
                format('CREATE OR REPLACE AGGREGATE %s.%s(%s) (SFUNC = %s, STYPE = %s', quote_ident(n.nspname), quote_ident(p.proname),
                       pg_get_function_arguments(p.oid), a.aggtransfn::regproc, format_type(a.aggtranstype, NULL))
                || CASE WHEN a.aggtransspace <> 0 THEN ', SSPACE = ' || a.aggtransspace ELSE '' END
                || CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || a.aggfinalfn::regproc ELSE '' END
                || CASE WHEN a.aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END
                || CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || a.aggcombinefn::regproc ELSE '' END
                || CASE WHEN a.aggserialfn <> 0 THEN ', SERIALFUNC = ' || a.aggserialfn::regproc ELSE '' END
                || CASE WHEN a.aggdeserialfn <> 0 THEN ', DESERIALFUNC = ' || a.aggdeserialfn::regproc ELSE '' END
                || CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || quote_literal(a.agginitval) ELSE '' END
                || CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = ' || (SELECT o.oprname FROM pg_operator o WHERE o.oid = a.aggsortop) ELSE '' END
                || ', PARALLEL = ' || CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END || ')'
       END AS definition,
       EXISTS (SELECT 1 FROM pg_depend d JOIN pg_type t ON t.oid = d.refobjid JOIN pg_class c ON c.oid = t.typrelid
               WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_type'::regclass
                 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) AS uses_relation
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE (n.nspname = ANY ($1) OR p.oid = ANY ($2::oid[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
ORDER BY n.nspname, p.proname, p.oid
