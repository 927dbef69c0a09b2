-- The types $1, with what each kind's CREATE TYPE or CREATE DOMAIN needs, in the server's words (search_path is
-- pg_catalog, so every other type, function, collation and operator class comes schema-qualified). An array or a
-- multirange is implicit: its element's or its range's CREATE TYPE makes it.
SELECT t.oid::int8, n.nspname, t.typname, t.typtype::text,
       EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid) OR t.typtype = 'm' AS implicit,
       ARRAY(SELECT quote_literal(l.enumlabel) FROM pg_enum l WHERE l.enumtypid = t.oid ORDER BY l.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       pg_get_expr(t.typdefaultbin, 0) AS default_sql, t.typnotnull,
       ARRAY(SELECT format('CONSTRAINT %s %s', quote_ident(k.conname), pg_get_constraintdef(k.oid))
             FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) AS checks,
       ARRAY(SELECT quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                            THEN ' COLLATE ' || quote_ident(acn.nspname) || '.' || quote_ident(aco.collname) ELSE '' END
             FROM pg_attribute a
             JOIN pg_type at ON at.oid = a.atttypid
             LEFT JOIN pg_collation aco ON aco.oid = a.attcollation
             LEFT JOIN pg_namespace acn ON acn.oid = aco.collnamespace
             WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum) AS attributes,
       concat_ws(', ',
           'SUBTYPE = ' || format_type(r.rngsubtype, NULL),
           CASE WHEN NOT oc.opcdefault THEN 'SUBTYPE_OPCLASS = ' || quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END,
           CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
                THEN 'COLLATION = ' || quote_ident(rcn.nspname) || '.' || quote_ident(rco.collname) END,
           CASE WHEN r.rngcanonical <> 0 THEN 'CANONICAL = ' || r.rngcanonical::regproc::text END,
           CASE WHEN r.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text END,
           'MULTIRANGE_TYPE_NAME = ' || quote_ident(mn.nspname) || '.' || quote_ident(mt.typname)) AS range_options,
       (SELECT rc.relkind::text FROM pg_class rc WHERE rc.oid = t.typrelid) AS relkind
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_opclass oc ON oc.oid = r.rngsubopc
LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_collation rco ON rco.oid = r.rngcollation
LEFT JOIN pg_namespace rcn ON rcn.oid = rco.collnamespace
LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
LEFT JOIN pg_namespace mn ON mn.oid = mt.typnamespace
WHERE t.oid = ANY ($1::oid[])
