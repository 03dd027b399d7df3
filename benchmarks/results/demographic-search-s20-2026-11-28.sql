CREATE TABLE person_view (person_id text PRIMARY KEY, document jsonb NOT NULL);
CREATE TABLE person_name (
    person_id  text NOT NULL REFERENCES person_view (person_id) ON DELETE CASCADE,
    family     text NOT NULL,
    given      text NOT NULL,
    birth_date date NOT NULL,
    family_key text GENERATED ALWAYS AS (lower(regexp_replace(family, '[[:space:]''‘’.-]', '', 'g'))) STORED,
    given_key  text GENERATED ALWAYS AS (lower(regexp_replace(given, '[[:space:]''‘’.-]', '', 'g'))) STORED,
    PRIMARY KEY (person_id, family, given, birth_date));
CREATE INDEX person_name_search ON person_name (family_key, birth_date);
-- 100,000 invented persons: 2,000 surnames, birth dates over 60 years, a view of 30 results each (about 5 KB).
INSERT INTO person_view
SELECT 'p' || i, jsonb_build_object('personId', 'p' || i,
    'name', jsonb_build_object('family', 'Surname' || (i % 2000), 'given', jsonb_build_array('Given' || (i % 97))),
    'birthDate', (date '1940-01-01' + (i * 7919 % 21900))::text,
    'results', (SELECT jsonb_agg(jsonb_build_object('resultId', 'r' || i || '-' || k, 'code', jsonb_build_object('system','http://loinc.org','code','2823-3','display','Potassium'), 'value', (3.5 + k / 10.0)::text, 'unit', 'mmol/L', 'status', 'F', 'collected', '2026-01-01T09:00:00+00:00')) FROM generate_series(1, 30) k))
FROM generate_series(1, 100000) i;
INSERT INTO person_name (person_id, family, given, birth_date)
SELECT person_id, document->'name'->>'family', document->'name'->'given'->>0, (document->>'birthDate')::date FROM person_view;
VACUUM ANALYZE;
