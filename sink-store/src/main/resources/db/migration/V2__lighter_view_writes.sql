-- careweave store, schema version 2: less written per view. docs/store.md describes the write rules.

-- A fingerprint of what each result and encounter row was written from. A new view of a person usually repeats most
-- of the person's results and encounters unchanged (a demographics update, one more result): the sink compares
-- fingerprints and rewrites only the rows that changed, instead of deleting and inserting every child row of the
-- person on every view. Rows written before this migration have no fingerprint; the sink rewrites them once.
ALTER TABLE result ADD COLUMN fingerprint bytea;
ALTER TABLE encounter ADD COLUMN fingerprint bytea;

-- The GIN index on the whole document re-indexed every path of a person's document on every view, a quarter of
-- PostgreSQL's work per view, and no careweave query uses it: the API reads documents by person id, and SQL users
-- have the relational tables with their own indexes. An operator who runs containment (@>) searches on documents can
-- add it back (docs/store.md gives the statement).
DROP INDEX IF EXISTS person_view_document;
