-- A death without its date (PID-30 Y alone) has no death_year: without this column such a person read as alive.
-- Rows written before it say false until the stream publishes the person again (a new format lets every person's
-- next view through).
ALTER TABLE analyst_persons ADD COLUMN deceased boolean NOT NULL DEFAULT false;
