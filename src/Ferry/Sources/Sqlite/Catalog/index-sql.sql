-- An index's CREATE INDEX statement.
SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = $index
