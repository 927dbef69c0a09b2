-- An index's columns, in key order.
SELECT name FROM pragma_index_info($index) ORDER BY seqno
