-- A table's indexes, the last created first; origin is 'c' (CREATE INDEX), 'u' (UNIQUE) or 'pk'.
SELECT name, "unique", origin, partial FROM pragma_index_list($table) ORDER BY seq DESC
