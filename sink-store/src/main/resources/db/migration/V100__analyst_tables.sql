-- careweave analyst tables: the pseudonymised secondary-use stream (<prefix>secondary.persons and
-- <prefix>secondary.results) for research and planning. No direct identifiers: a keyed pseudonym instead of the
-- person, birth year (or month), postcode district. People who opted out are never written; a later opt-out or a
-- merge arrives as tombstones, which delete the rows. docs/secondary-use.md describes them.
-- Version 100 keeps these apart from the store's own migrations (V1, V2, ...), which share this location.

CREATE TABLE analyst_persons (
    pseudonym         text        PRIMARY KEY,
    birth_period      text,
    sex               text,
    postcode_district text,
    death_year        integer,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX analyst_persons_district ON analyst_persons (postcode_district);

-- No foreign key to analyst_persons: the two topics are read side by side, so a person's results may be written
-- before the person, and removed after them. Each table ends up as its topic's latest record per key: a retraction
-- tombstones the person and each of their results.
CREATE TABLE analyst_results (
    result_key       text             PRIMARY KEY,
    pseudonym        text             NOT NULL,
    code_system      text,
    code             text             NOT NULL,
    code_display     text,
    value            text,
    numeric_value    double precision,
    units            text,
    status           text             NOT NULL,
    collected_date   date,
    sending_facility text,
    updated_at       timestamptz      NOT NULL
);
CREATE INDEX analyst_results_pseudonym ON analyst_results (pseudonym);
CREATE INDEX analyst_results_code ON analyst_results (code_system, code, collected_date);

-- The analyst sink's positions in its two topics, written in the same transaction as the rows they produced.
CREATE TABLE analyst_position (
    topic           text    NOT NULL,
    kafka_partition integer NOT NULL,
    next_offset     bigint  NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);

-- Records the analyst sink could not read and stepped over, so none is skipped silently.
CREATE TABLE analyst_skipped_record (
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    reason          text        NOT NULL,
    skipped_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
