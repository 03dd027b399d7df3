-- careweave store, schema version 8: a result whose code no index can hold is stored without it in the columns.
-- PostgreSQL refuses an index entry over about 2,700 bytes, and result_by_code indexes the code: a garbled OBX-3 of
-- thousands of characters stopped the sink. The sink now leaves a code (or a code system) over 200 characters out of
-- the columns, as it does over-long names, identifiers and visit numbers (docs/store.md); the result's document keeps
-- it as sent. code_system was nullable already; code becomes so. Changes no row: a metadata change, instant.
ALTER TABLE result ALTER COLUMN code DROP NOT NULL;
