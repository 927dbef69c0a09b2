-- The main schema's tables, views, virtual and shadow tables: wr is WITHOUT ROWID, strict is STRICT.
SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main' ORDER BY name
