-- careweave store, schema version 5: finding a person by any name and birth date their records give.
-- One row per name, given name and birth date a person's view lists: the golden record's and, since PersonView v4,
-- the other names and birth dates other records use (a maiden name, another organisation's spelling, a day and month
-- swapped). The search by demographics reads this table, through its index, instead of scanning every document.
-- family_key and given_key are the names as the search compares them: lower case, without spaces, apostrophes
-- (straight and curly), hyphens and full stops; the API applies the same expression to what it is asked
-- (DemographicSearch.NAME_PUNCTUATION_SQL must stay this pattern). Needs PostgreSQL 12 or later (generated columns).
CREATE TABLE person_name (
    person_id  text NOT NULL REFERENCES person_view (person_id) ON DELETE CASCADE,
    family     text NOT NULL,
    given      text NOT NULL,
    birth_date date NOT NULL,
    family_key text GENERATED ALWAYS AS (lower(regexp_replace(family, '[[:space:]''‘’.-]', '', 'g'))) STORED,
    given_key  text GENERATED ALWAYS AS (lower(regexp_replace(given, '[[:space:]''‘’.-]', '', 'g'))) STORED,
    PRIMARY KEY (person_id, family, given, birth_date)
);
CREATE INDEX person_name_search ON person_name (family_key, birth_date);

-- The views already stored, from their golden name and birth date; their other names come with their next view.
-- The same names as the sink writes (PersonRows.searchable): not blank, at most 200 characters.
INSERT INTO person_name (person_id, family, given, birth_date)
SELECT DISTINCT v.person_id, v.document->'name'->>'family', COALESCE(g.given, ''), (v.document->>'birthDate')::date
FROM person_view v
LEFT JOIN LATERAL (
    SELECT e AS given
    FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(v.document->'name'->'given') = 'array'
                                   THEN v.document->'name'->'given' ELSE '[]'::jsonb END) AS e
    WHERE btrim(e) <> '' AND length(e) <= 200) AS g ON true
WHERE btrim(v.document->'name'->>'family') <> '' AND length(v.document->'name'->>'family') <= 200
  AND v.document->>'birthDate' IS NOT NULL;
