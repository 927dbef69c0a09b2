-- Every object's type, name and CREATE statement.
SELECT type, name, sql FROM sqlite_schema
