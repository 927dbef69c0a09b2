-- AUTOINCREMENT's last values (the table exists once a table uses AUTOINCREMENT).
SELECT name, seq FROM sqlite_sequence
