-- careweave store, schema version 4: what a result's report said around it. The order it was reported under
-- (OBR-4: a panel, a culture), its OBX-4 sub-id (an organism and its susceptibilities share one), its place in the
-- report (OBX-1) and the laboratory's notes on it (a haemolysed sample). docs/store.md describes the columns.
-- Rows written before this version get them when the person's view next changes (their fingerprint no longer
-- matches); until then the columns are empty, as the result's document is.
ALTER TABLE result
    ADD COLUMN order_code_system text,
    ADD COLUMN order_code        text,
    ADD COLUMN order_display     text,
    ADD COLUMN sub_id            text,
    ADD COLUMN set_id            integer NOT NULL DEFAULT 0,
    ADD COLUMN notes             text[]  NOT NULL DEFAULT '{}';
