-- The collations $1: provider, determinism, libc's LC_COLLATE and LC_CTYPE, ICU's locale and rules (read through
-- to_jsonb: their columns' names changed between PostgreSQL versions).
SELECT co.oid::int8, n.nspname, co.collname, co.collprovider::text, co.collisdeterministic, co.collcollate, co.collctype,
       coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale', co.collcollate) AS icu_locale,
       to_jsonb(co) ->> 'collicurules' AS icu_rules
FROM pg_collation co
JOIN pg_namespace n ON n.oid = co.collnamespace
WHERE co.oid = ANY ($1::oid[])
