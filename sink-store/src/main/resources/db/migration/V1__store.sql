-- careweave store, schema version 1: person views read from <prefix>person.views, kept exactly once.
-- docs/store.md describes every table, the write rules and how to back the database up.

-- One row per live person: the API's document (JSONB) and where in the topic it came from.
-- version and (kafka_partition, kafka_offset) guard against regressions on re-delivery or replay.
CREATE TABLE person_view (
    person_id       text        PRIMARY KEY,
    version         bigint      NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    updated_at      timestamptz NOT NULL,
    document        jsonb       NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT now()
);
-- jsonb_path_ops: smaller and faster for containment (@>) queries, which is what ad-hoc document searches use.
CREATE INDEX person_view_document ON person_view USING gin (document jsonb_path_ops);

-- FHIR token lookup: system|value to person. Not unique on (system, value): while identity decisions settle
-- (a merge arrives as the survivor's view and the merged person's tombstone) two persons may hold one identifier.
CREATE TABLE person_identifier (
    system    text    NOT NULL,
    value     text    NOT NULL,
    person_id text    NOT NULL REFERENCES person_view (person_id) ON DELETE CASCADE,
    type      text,
    valid     boolean NOT NULL,
    PRIMARY KEY (system, value, person_id)
);
CREATE INDEX person_identifier_person ON person_identifier (person_id);

-- Results in relational form for SQL users; document is the API's representation of the same result.
-- Keyed by person as well: during a merge the same result may briefly belong to both persons' views.
CREATE TABLE result (
    person_id                text             NOT NULL REFERENCES person_view (person_id) ON DELETE CASCADE,
    result_id                text             NOT NULL,
    code_system              text,
    code                     text             NOT NULL,
    code_display             text,
    source_code_system       text,
    source_code              text,
    value_type               text             NOT NULL,
    value                    text,
    numeric_value            double precision,
    units                    text,
    reference_range          text,
    abnormal_flags           text[]           NOT NULL,
    status                   text             NOT NULL,
    collected_at             timestamptz,
    collected_offset_seconds integer,
    collected_offset_assumed boolean,
    -- The collection date on the source's own clock: date filters mean the date the source stated.
    collected_local_date     date,
    retracted                boolean          NOT NULL,
    version_count            integer          NOT NULL,
    updated_at               timestamptz      NOT NULL,
    document                 jsonb            NOT NULL,
    PRIMARY KEY (person_id, result_id)
);
CREATE INDEX result_by_code ON result (person_id, code_system, code, collected_at DESC);
CREATE INDEX result_by_source_code ON result (person_id, source_code_system, source_code, collected_at DESC);
CREATE INDEX result_by_collected ON result (person_id, collected_at DESC);

-- Every message that sent a result (a result reported by two organisations has two rows).
CREATE TABLE result_source (
    person_id           text        NOT NULL,
    result_id           text        NOT NULL,
    ordinal             integer     NOT NULL,
    sending_facility    text        NOT NULL,
    control_id          text        NOT NULL,
    filler_order_number text,
    placer_order_number text,
    received_at         timestamptz NOT NULL,
    raw_message_id      text        NOT NULL,
    raw_topic           text,
    raw_partition       integer,
    raw_offset          bigint,
    PRIMARY KEY (person_id, result_id, ordinal),
    FOREIGN KEY (person_id, result_id) REFERENCES result (person_id, result_id) ON DELETE CASCADE
);

-- Encounters in the order the view lists them; a visit number is optional in HL7, so the key is the position.
CREATE TABLE encounter (
    person_id        text        NOT NULL REFERENCES person_view (person_id) ON DELETE CASCADE,
    ordinal          integer     NOT NULL,
    visit_system     text,
    visit_value      text,
    patient_class    text,
    admitted_at      timestamptz,
    discharged_at    timestamptz,
    location         text,
    status           text,
    sending_facility text        NOT NULL,
    PRIMARY KEY (person_id, ordinal)
);
CREATE INDEX encounter_visit ON encounter (visit_system, visit_value);

-- A merged-away person points at the person it was merged into (from PersonView.mergedPersonIds).
-- Kept when the survivor is itself merged later: the API follows the chain.
CREATE TABLE person_redirect (
    merged_person_id   text   PRIMARY KEY,
    survivor_person_id text   NOT NULL,
    survivor_version   bigint NOT NULL
);
CREATE INDEX person_redirect_survivor ON person_redirect (survivor_person_id);

-- Persons removed by a tombstone, so that a re-delivered older view cannot bring them back.
CREATE TABLE person_removed (
    person_id       text    PRIMARY KEY,
    last_version    bigint,
    kafka_partition integer NOT NULL,
    kafka_offset    bigint  NOT NULL
);

-- The sink's own consumer positions, written in the same transaction as the rows they produced.
-- The sink seeks to these on start; Kafka consumer-group offsets are not used.
CREATE TABLE sink_position (
    topic           text    NOT NULL,
    kafka_partition integer NOT NULL,
    next_offset     bigint  NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);

-- Records the sink could not read (not Avro, or not a PersonView) and stepped over, so none is skipped silently.
CREATE TABLE sink_skipped_record (
    topic           text        NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    reason          text        NOT NULL,
    skipped_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);

-- Who read whose record, when, through which endpoint and with what outcome. Append-only by convention:
-- the API only inserts. query holds the searched identifier for searches (patient data: this table only).
CREATE TABLE audit_event (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    subject   text        NOT NULL,
    role      text        NOT NULL,
    person_id text,
    endpoint  text        NOT NULL,
    query     text,
    status    integer     NOT NULL,
    client    text
);
CREATE INDEX audit_event_person ON audit_event (person_id, at);
CREATE INDEX audit_event_subject ON audit_event (subject, at);
