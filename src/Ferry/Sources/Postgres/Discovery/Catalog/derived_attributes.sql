-- A derived table's result columns as attributes, for columns.sql: $1 their names, $2 their types, $3 and $4 the table
-- and column each comes straight from (0 for an expression), whose type modifier it keeps (an expression's type has none).
WITH attributes AS (
    SELECT 0::oid AS attrelid, u.name::name AS attname, u.type_oid::oid AS atttypid, coalesce(s.atttypmod, -1) AS atttypmod,
           u.n::int2 AS attnum, false AS attnotnull, false AS atthasdef, ''::"char" AS attgenerated, ''::"char" AS attidentity,
           0::oid AS attcollation
    FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int2[]) WITH ORDINALITY AS u(name, type_oid, table_oid, attnum, n)
    LEFT JOIN pg_attribute s ON s.attrelid = u.table_oid::oid AND s.attnum = u.attnum AND s.atttypid = u.type_oid::oid)
