-- The sequences of the schemas $1, and those the defaults of the tables $2 call, that are not an identity's and no
-- extension owns: options and the column owning it (serial).
SELECT c.oid::int8, n.nspname, c.relname, format_type(s.seqtypid, NULL) AS type,
       s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle,
       d.refobjid::int8 AS owner_oid, on_.nspname AS owner_schema, oc.relname AS owner_table, oa.attname AS owner_column
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                         AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class oc ON oc.oid = d.refobjid
LEFT JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE c.relkind = 'S' AND (d.deptype IS NULL OR d.deptype = 'a')
  AND (n.nspname = ANY ($1)
       OR c.oid IN (SELECT dd.refobjid FROM pg_attrdef ad
                    JOIN pg_depend dd ON dd.classid = 'pg_attrdef'::regclass AND dd.objid = ad.oid AND dd.refclassid = 'pg_class'::regclass
                    WHERE ad.adrelid = ANY ($2::oid[])))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY n.nspname, c.relname
