-- careweave store, schema version 7: a double-barrelled or compound name is found by each of its parts.
-- One organisation records "Smith-Jones" or "Mary Jane" whole and another in part, so the sink now also writes a
-- person_name row under each part of a name of two or more parts (parts with fewer than two letters, initials, are
-- not parts; the sink's NameParts must stay this rule). This adds those rows for the names already stored; each
-- person's next view rewrites their rows the same way.
WITH parted AS (
    SELECT n.person_id, n.family, n.given, n.birth_date,
           ARRAY(SELECT p FROM regexp_split_to_table(btrim(n.family), '[[:space:]‐‑–-]+') AS p
                 WHERE length(regexp_replace(p, '[^[:alpha:]]', '', 'g')) >= 2) AS family_parts,
           ARRAY(SELECT p FROM regexp_split_to_table(btrim(n.given), '[[:space:]‐‑–-]+') AS p
                 WHERE length(regexp_replace(p, '[^[:alpha:]]', '', 'g')) >= 2) AS given_parts
    FROM person_name n
),
families AS (
    SELECT person_id, family, given, given_parts, birth_date FROM parted
    UNION
    SELECT person_id, f, given, given_parts, birth_date FROM parted, unnest(family_parts) AS f
    WHERE cardinality(family_parts) >= 2
)
INSERT INTO person_name (person_id, family, given, birth_date)
SELECT person_id, family, given, birth_date FROM families
UNION
SELECT person_id, family, g, birth_date FROM families, unnest(given_parts) AS g WHERE cardinality(given_parts) >= 2
ON CONFLICT DO NOTHING;
