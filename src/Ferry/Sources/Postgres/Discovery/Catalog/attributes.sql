-- The columns of the tables $1, for columns.sql.
WITH attributes AS (SELECT * FROM pg_attribute WHERE attrelid = ANY ($1::oid[]) AND attnum > 0 AND NOT attisdropped)
