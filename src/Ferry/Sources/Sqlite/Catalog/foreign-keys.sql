-- A table's foreign keys, one row per column: id numbers the keys from the one declared last.
SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list($table) ORDER BY id, seq
