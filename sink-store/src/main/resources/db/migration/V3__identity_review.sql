-- careweave store, schema version 3: the identity review queue, read from <prefix>identity.review.
-- The API lists it to reviewers, takes their decisions (sent to identity.decisions for identity to apply), and shows
-- each person's open reviews with their view as possible duplicates. docs/store.md describes the table.

-- One row per review pair, as identity last published it: open while nobody has decided it, closed (open = false,
-- reason DECIDED_...) once identity applied a decision. A tombstone on the topic deletes the row.
-- Identifiers are split at their first '|' so that they join person_identifier: the persons shown for a pair are the
-- ones holding its identifiers now, not the ones identity named when it raised the pair (merges move records since).
CREATE TABLE identity_review (
    pair_id          text             PRIMARY KEY,
    left_identifier  text             NOT NULL,
    left_system      text             NOT NULL,
    left_value       text             NOT NULL,
    right_identifier text             NOT NULL,
    right_system     text             NOT NULL,
    right_value      text             NOT NULL,
    -- The persons identity named when it published the pair (the fall-back when an identifier has no view yet).
    left_person_id   text,
    right_person_id  text,
    reason           text             NOT NULL,
    score            double precision,
    -- [{"comparison","level","weight"}]: what the match rested on. Levels name agreement, never values.
    evidence         jsonb            NOT NULL,
    raised_at        timestamptz      NOT NULL,
    open             boolean          NOT NULL,
    kafka_partition  integer          NOT NULL,
    kafka_offset     bigint           NOT NULL
);
CREATE INDEX identity_review_left ON identity_review (left_system, left_value) WHERE open;
CREATE INDEX identity_review_right ON identity_review (right_system, right_value) WHERE open;
CREATE INDEX identity_review_left_person ON identity_review (left_person_id) WHERE open;
CREATE INDEX identity_review_right_person ON identity_review (right_person_id) WHERE open;
CREATE INDEX identity_review_raised ON identity_review (open, raised_at, pair_id);
