-- What the tables $1, the views over them and the functions $2 need that the server does not have built in: types, functions, operators,
-- operator classes and collations, followed through pg_depend (a domain through its checks, a composite type through
-- its attributes), stopping at an extension's object. One row per (object, the object that needs it), a seed with
-- the source object that needs it instead; each object with the extension that owns it, if one does.
WITH RECURSIVE seeds (classid, objid, origin) AS (
    SELECT 'pg_type'::regclass::oid, a.atttypid, format('column %s.%s.%s', n.nspname, c.relname, a.attname)
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    UNION
    SELECT d.refclassid, d.refobjid, format('column %s.%s.%s', n.nspname, c.relname, a.attname)
    FROM pg_depend d
    JOIN pg_class c ON c.oid = d.objid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
    WHERE d.classid = 'pg_class'::regclass AND d.objid = ANY ($1::oid[]) AND d.objsubid > 0 AND d.refclassid = 'pg_collation'::regclass
    UNION
    SELECT d.refclassid, d.refobjid, format('the default of %s.%s.%s', n.nspname, c.relname, a.attname)
    FROM pg_attrdef ad
    JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
    JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
    JOIN pg_class c ON c.oid = ad.adrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ad.adrelid = ANY ($1::oid[])
    UNION
    SELECT d.refclassid, d.refobjid, format('constraint %s of %s.%s', k.conname, n.nspname, c.relname)
    FROM pg_constraint k
    JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass AND d.objid = k.oid
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.conrelid = ANY ($1::oid[])
    UNION
    SELECT d.refclassid, d.refobjid, format('index %s.%s', n.nspname, ic.relname)
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
    WHERE i.indrelid = ANY ($1::oid[])
    UNION
    -- What the views over the tables call (an aggregate, a function, a type): the copy makes those views after the load.
    SELECT d.refclassid, d.refobjid, format('view %s.%s', n.nspname, v.relname)
    FROM pg_rewrite r
    JOIN pg_class v ON v.oid = r.ev_class AND v.relkind IN ('v', 'm')
    JOIN pg_namespace n ON n.oid = v.relnamespace
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
    WHERE EXISTS (SELECT 1 FROM pg_depend t WHERE t.classid = 'pg_rewrite'::regclass AND t.objid = r.oid
                  AND t.refclassid = 'pg_class'::regclass AND t.refobjid = ANY ($1::oid[]))
    UNION
    SELECT 'pg_proc'::regclass::oid, p.oid, format('function %s', p.oid::regprocedure)
    FROM pg_proc p
    WHERE p.oid = ANY ($2::oid[])
),
closure (classid, objid, dependent_classid, dependent_objid, origin) AS (
    SELECT s.classid, s.objid, NULL::oid, NULL::oid, s.origin
    FROM seeds s
    WHERE s.objid >= 16384
      AND s.classid IN ('pg_type'::regclass, 'pg_proc'::regclass, 'pg_operator'::regclass, 'pg_opclass'::regclass, 'pg_collation'::regclass)
    UNION
    SELECT d.refclassid, d.refobjid, c.classid, c.objid, NULL
    FROM closure c
    CROSS JOIN LATERAL (
        SELECT c.classid AS classid, c.objid AS objid
        UNION ALL
        SELECT 'pg_constraint'::regclass, k.oid FROM pg_constraint k WHERE c.classid = 'pg_type'::regclass AND k.contypid = c.objid
        UNION ALL
        SELECT 'pg_class'::regclass, t.typrelid FROM pg_type t WHERE c.classid = 'pg_type'::regclass AND t.oid = c.objid AND t.typrelid <> 0
    ) o
    JOIN pg_depend d ON d.classid = o.classid AND d.objid = o.objid
    WHERE d.refobjid >= 16384 AND d.deptype IN ('n', 'a', 'i')
      AND d.refclassid IN ('pg_type'::regclass, 'pg_proc'::regclass, 'pg_operator'::regclass, 'pg_opclass'::regclass, 'pg_collation'::regclass)
      AND NOT (d.refclassid = c.classid AND d.refobjid = c.objid)
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = c.classid AND e.objid = c.objid AND e.deptype = 'e')
)
SELECT c.classid::regclass::text AS class, c.objid::int8, c.dependent_classid::regclass::text AS dependent_class,
       c.dependent_objid::int8, c.origin, x.extname, xn.nspname AS extension_schema,
       pg_describe_object(c.classid, c.objid, 0) AS description,
       coalesce(tn.nspname, pn.nspname) AS schema, coalesce(t.typname, p.proname) AS name
FROM closure c
LEFT JOIN pg_type t ON c.classid = 'pg_type'::regclass AND t.oid = c.objid
LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_proc p ON c.classid = 'pg_proc'::regclass AND p.oid = c.objid
LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
LEFT JOIN pg_depend e ON e.classid = c.classid AND e.objid = c.objid AND e.deptype = 'e'
LEFT JOIN pg_extension x ON x.oid = e.refobjid
LEFT JOIN pg_namespace xn ON xn.oid = x.extnamespace
