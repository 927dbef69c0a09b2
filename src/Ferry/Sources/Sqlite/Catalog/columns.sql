-- A table's columns; hidden is 1 for a virtual table's hidden column, 2 and 3 for generated ones.
SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo($table)
