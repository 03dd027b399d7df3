-- careweave store, schema version 6: results the laboratory could not obtain (DeduplicatedResult v3 notObtained:
-- OBX-11 X, or a value or note saying the sample was haemolysed, insufficient, not received, or the test not done).
-- They are shown, but the "before you order" check does not take them for the last test: their retake is needed.
-- Rows written before this version: those with status X are marked here; those that say it in words are marked when
-- the person's view next changes (RowFingerprints.ROW_FORMAT 2 rewrites every result row then).
ALTER TABLE result ADD COLUMN not_obtained boolean NOT NULL DEFAULT false;
UPDATE result SET not_obtained = true WHERE upper(btrim(status)) = 'X';
