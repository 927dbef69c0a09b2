-- The columns of the attributes before it (attributes.sql, a table's; derived_attributes.sql, a query's), in order: the
-- type in the server's words (search_path is pg_catalog, so a type elsewhere is schema-qualified), its default, identity
-- (with its sequence's options and last value), generation, a collation other than the type's own, the comment, and, for
-- a type whose values are text (a string type, an enum, a domain over one), the built-in type it is read as when a step
-- rewrites its values ('enum' for an enum's labels).
SELECT a.attrelid::int8, a.attname, format_type(a.atttypid, a.atttypmod) AS type_sql,
       coalesce(e.typname || '[]', t.typname) AS type_name, a.atttypid::int8 AS type_oid,
       tn.nspname AS type_schema, coalesce(e.typtype, t.typtype)::text AS type_kind,
       a.attnotnull,
       CASE WHEN a.atthasdef AND a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_sql,
       CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END AS generated_sql,
       a.attidentity::text,
       CASE WHEN a.attidentity <> '' THEN
           format('INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %sCYCLE',
                  s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN '' ELSE 'NO ' END) END AS identity_options,
       CASE WHEN a.attidentity <> '' THEN pg_sequence_last_value(s.seqrelid) END AS identity_last,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       col_description(a.attrelid, a.attnum) AS comment,
       (SELECT x.extname FROM pg_depend dd JOIN pg_extension x ON x.oid = dd.refobjid
        WHERE dd.classid = 'pg_type'::regclass AND dd.objid = coalesce(e.oid, t.oid) AND dd.deptype = 'e') AS type_extension,
       CASE WHEN t.typcategory = 'E' THEN 'enum'
            WHEN t.typcategory = 'S' AND b.typname <> 'char' AND coalesce(CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END, -1) >= 0
            THEN format_type(b.oid, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)
            WHEN t.typcategory = 'S' AND b.typname <> 'char' THEN 'text' END AS text_form
FROM attributes a
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A' AND t.typelem <> 0
JOIN pg_namespace tn ON tn.oid = coalesce(e.typnamespace, t.typnamespace)
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_depend dep ON a.attidentity <> '' AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = a.attrelid
                           AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
LEFT JOIN pg_sequence s ON s.seqrelid = dep.objid
ORDER BY a.attrelid, a.attnum
