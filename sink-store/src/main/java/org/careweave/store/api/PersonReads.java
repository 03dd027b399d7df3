package org.careweave.store.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import org.careweave.store.Json;

/** The API's reads of the store, each in the caller's connection (and so in the transaction with its audit rows). */
final class PersonReads {

    /** Longest chain of merges followed before giving up (a chain this long means the data is wrong). */
    private static final int MAX_REDIRECTS = 32;
    static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    /** Where a person id leads. */
    sealed interface Resolution permits Found, Redirected, Missing {
    }

    record Found(String personId) implements Resolution {
    }

    record Redirected(String survivorPersonId) implements Resolution {
    }

    record Missing() implements Resolution {
    }

    /** A matching result's code as stored, for looking a retest rule up by the canonical code. */
    record StoredCode(String system, String code) {
    }

    record LastResult(RecentTestCheck.LastResult result, StoredCode code) {
    }

    private PersonReads() {
    }

    /**
     * A merged person redirects to the end of its merge chain (when that person has a view); otherwise the person is
     * found if it has a view.
     */
    static Resolution resolve(Connection c, String personId) throws SQLException {
        String current = personId;
        Set<String> seen = new HashSet<>();
        seen.add(current);
        for (int hops = 0; hops < MAX_REDIRECTS; hops++) {
            Optional<String> next = survivorOf(c, current);
            if (next.isEmpty() || !seen.add(next.get())) {
                break;
            }
            current = next.get();
        }
        if (!hasView(c, current)) {
            return new Missing();
        }
        return current.equals(personId) ? new Found(personId) : new Redirected(current);
    }

    /**
     * What identifies the stored view as it is now: its version and the Kafka record it was written from, which
     * change whenever the sink writes the row again.
     */
    static Optional<String> viewTag(Connection c, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT version, kafka_partition, kafka_offset FROM person_view WHERE person_id = ?")) {
            s.setString(1, personId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(tag(rs)) : Optional.empty();
            }
        }
    }

    /** The stored view and its {@link #viewTag}. */
    record StoredView(String tag, String document) {
    }

    static Optional<StoredView> view(Connection c, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT version, kafka_partition, kafka_offset, document::text FROM person_view WHERE person_id = ?")) {
            s.setString(1, personId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredView(tag(rs), rs.getString(4)));
            }
        }
    }

    /** From the first three columns: version, kafka_partition, kafka_offset. */
    private static String tag(ResultSet rs) throws SQLException {
        return rs.getLong(1) + "." + rs.getInt(2) + "." + rs.getLong(3);
    }

    /** Persons holding the identifier, each followed through merges, without duplicates, in id order. */
    static List<String> search(Connection c, String system, String value) throws SQLException {
        Set<String> persons = new LinkedHashSet<>();
        for (String holder : holders(c, system, value)) {
            Resolution resolution = resolve(c, holder);
            if (resolution instanceof Found found) {
                persons.add(found.personId());
            } else if (resolution instanceof Redirected redirected) {
                persons.add(redirected.survivorPersonId());
            }
        }
        return persons.stream().sorted().toList();
    }

    /**
     * Live persons with a name whose family name is the one asked (or, for a name of several parts, one of its parts;
     * a stored name of several parts is found by each part too) and a birth date that is the one asked, among the
     * golden record's and the other names and birth dates their records give (person_name; case, spaces,
     * apostrophes, hyphens and full stops aside), and, when asked, a given name of that name starting with the one
     * asked and the postcode (spaces and case aside); in id order, at most {@code limit}. Merged persons have no view,
     * so their survivors are found through their own golden record.
     */
    static List<String> searchByDemographics(Connection c, DemographicSearch search, int limit) throws SQLException {
        Sql sql = new Sql("""
                SELECT DISTINCT n.person_id FROM person_name n
                WHERE n.family_key = ANY (ARRAY(SELECT lower(f) FROM unnest(?::text[]) AS f)) AND n.birth_date = ?
                """, search.families().toArray(String[]::new), search.birthDate());
        search.given().ifPresent(given -> sql.append("""
                AND starts_with(n.given_key, lower(regexp_replace(?, ?, '', 'g')))
                """, given, DemographicSearch.NAME_PUNCTUATION_SQL));
        search.postcode().ifPresent(postcode -> sql.append("""
                AND EXISTS (SELECT 1 FROM person_view v WHERE v.person_id = n.person_id
                    AND upper(regexp_replace(v.document->'address'->>'postcode', '\\s', '', 'g')) = ?)
                """, postcode));
        sql.append("ORDER BY n.person_id LIMIT ?", limit);
        return firstColumn(c, sql);
    }

    /** The person and every person merged into it, directly or through a chain of merges. */
    static List<String> withMerged(Connection c, String personId) throws SQLException {
        // UNION, not UNION ALL: a cycle of redirects (wrong data) ends instead of looping.
        return firstColumn(c, new Sql("""
                WITH RECURSIVE merged(id) AS (
                    SELECT CAST(? AS text)
                    UNION SELECT r.merged_person_id FROM person_redirect r JOIN merged m ON r.survivor_person_id = m.id)
                SELECT id FROM merged""", personId));
    }

    /** The valid NHS numbers the person's view lists. */
    static Set<String> nhsNumbers(Connection c, String personId) throws SQLException {
        return new TreeSet<>(firstColumn(c, new Sql("""
                SELECT value FROM person_identifier WHERE person_id = ? AND system = ? AND valid""",
                personId, NHS_NUMBER_SYSTEM)));
    }

    /** The person ids the store has the identifier under, as stored (not followed through merges), in id order. */
    static List<String> holders(Connection c, String system, String value) throws SQLException {
        return firstColumn(c, new Sql("""
                SELECT DISTINCT person_id FROM person_identifier WHERE system = ? AND value = ?
                ORDER BY person_id""", system, value));
    }

    /** The first column of every row the statement answers, in order. */
    private static List<String> firstColumn(Connection c, Sql sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** A page of result documents, and where the next starts when there are more. */
    record ResultsPage(List<String> documents, Optional<ResultCursor> next) {
    }

    /**
     * Result documents, newest collection first (results without a collection time last, then by result id); with a
     * limit, at most that many after the cursor, and the cursor of the next page when more match.
     */
    static ResultsPage results(Connection c, String personId, Optional<TokenParameter> code,
                               Optional<TimeBound> from, Optional<TimeBound> to, OptionalInt limit,
                               Optional<ResultCursor> after) throws SQLException {
        Sql sql = new Sql("SELECT document::text, collected_at, result_id FROM result WHERE person_id = ?", personId);
        code.ifPresent(token -> matchCode(sql, token));
        from.ifPresent(bound -> bound(sql, bound, ">="));
        to.ifPresent(bound -> bound(sql, bound, "<="));
        after.ifPresent(cursor -> {
            if (cursor.collectedAt().isPresent()) {
                OffsetDateTime at = cursor.collectedAt().get().atOffset(ZoneOffset.UTC);
                sql.append(" AND (collected_at < ? OR (collected_at = ? AND result_id > ?) OR collected_at IS NULL)",
                        at, at, cursor.resultId());
            } else {
                sql.append(" AND collected_at IS NULL AND result_id > ?", cursor.resultId());
            }
        });
        sql.append(" ORDER BY collected_at DESC NULLS LAST, result_id");
        if (limit.isPresent()) {
            // One more than asked: whether it exists says whether there is a next page.
            sql.append(" LIMIT ?", limit.getAsInt() + 1);
        }
        List<String> documents = new ArrayList<>();
        Optional<ResultCursor> next = Optional.empty();
        try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            ResultCursor last = null;
            while (rs.next()) {
                if (limit.isPresent() && documents.size() == limit.getAsInt()) {
                    next = Optional.of(last);
                    break;
                }
                documents.add(rs.getString(1));
                OffsetDateTime collected = rs.getObject(2, OffsetDateTime.class);
                last = new ResultCursor(Optional.ofNullable(collected).map(OffsetDateTime::toInstant),
                        rs.getString(3));
            }
        }
        return new ResultsPage(documents, next);
    }

    /**
     * The newest result of a test that counts as "last tested": not retracted, not one the laboratory could not obtain
     * (its retake is needed), with a collection time.
     */
    /** @param sameTest other codes (system|code) that count as this test, e.g. from its retest rule */
    static Optional<LastResult> lastResult(Connection c, String personId, TokenParameter code, List<String> sameTest)
            throws SQLException {
        return newest(c, personId, code, sameTest, false, Optional.empty());
    }

    /**
     * The newest result of a test that the laboratory could not obtain a value for (not retracted, with a collection
     * time), collected after {@code after} when given: a failed attempt since the last test done.
     */
    static Optional<RecentTestCheck.LastResult> laterNotObtained(Connection c, String personId, TokenParameter code,
                                                               List<String> sameTest, Optional<OffsetDateTime> after)
            throws SQLException {
        return newest(c, personId, code, sameTest, true, after).map(LastResult::result);
    }

    private static Optional<LastResult> newest(Connection c, String personId, TokenParameter code,
                                               List<String> sameTest, boolean notObtained,
                                               Optional<OffsetDateTime> after)
            throws SQLException {
        Sql sql = new Sql("""
                SELECT document::text, collected_at, collected_offset_seconds, code_system, code,
                    (SELECT min(CASE WHEN s->>'received' ~ '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+([+-]\\d{2}:\\d{2}|Z)$'
                                     THEN (s->>'received')::timestamptz END) FROM jsonb_array_elements(
                        CASE WHEN jsonb_typeof(document->'sources') = 'array' THEN document->'sources'
                        ELSE '[]'::jsonb END) AS s) AS first_received
                FROM result
                WHERE person_id = ? AND NOT retracted AND not_obtained = ? AND collected_at IS NOT NULL""",
                personId, notObtained);
        after.ifPresent(t -> sql.append(" AND collected_at > ?", t));
        matchCode(sql, code, sameTest);
        sql.append(" ORDER BY collected_at DESC, result_id LIMIT 1");
        try (PreparedStatement s = sql.prepare(c); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            OffsetDateTime collected = rs.getObject(2, OffsetDateTime.class)
                    .withOffsetSameInstant(ZoneOffset.ofTotalSeconds(rs.getInt(3)));
            OffsetDateTime received = rs.getObject(6, OffsetDateTime.class);
            return Optional.of(new LastResult(new RecentTestCheck.LastResult(rs.getString(1), collected,
                    received == null ? null : received.toInstant()), new StoredCode(rs.getString(4), rs.getString(5))));
        }
    }

    /** The code as reported or as mapped (e.g. to LOINC) both match, so a local code finds mapped results too. */
    private static void matchCode(Sql sql, TokenParameter token) {
        matchCode(sql, token, List.of());
    }

    /** As {@link #matchCode(Sql, TokenParameter)}, or as mapped to one of {@code sameTest} (system|code). */
    private static void matchCode(Sql sql, TokenParameter token, List<String> sameTest) {
        if (token.system().isEmpty()) {
            sql.append(" AND ((code = ? OR source_code = ?)", token.value(), token.value());
        } else if (token.system().get().isEmpty()) {
            sql.append(" AND (((code_system IS NULL AND code = ?) OR (source_code_system IS NULL AND source_code = ?))",
                    token.value(), token.value());
        } else {
            String system = token.system().get();
            sql.append(" AND (((code_system = ? AND code = ?) OR (source_code_system = ? AND source_code = ?))",
                    system, token.value(), system, token.value());
        }
        for (String other : sameTest) {
            int bar = other.indexOf('|');
            sql.append(" OR (code_system = ? AND code = ?)", other.substring(0, bar), other.substring(bar + 1));
        }
        sql.append(")");
    }

    private static void bound(Sql sql, TimeBound bound, String operator) {
        if (bound instanceof TimeBound.OnDate onDate) {
            sql.append(" AND collected_local_date " + operator + " ?", onDate.date());
        } else if (bound instanceof TimeBound.AtInstant at) {
            sql.append(" AND collected_at " + operator + " ?", at.instant());
        }
    }

    private static Optional<String> survivorOf(Connection c, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT survivor_person_id FROM person_redirect WHERE merged_person_id = ?")) {
            s.setString(1, personId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static boolean hasView(Connection c, String personId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM person_view WHERE person_id = ?")) {
            s.setString(1, personId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A statement built in pieces, with its parameters in order. */
    private static final class Sql {
        private final StringBuilder text;
        private final List<Object> parameters = new ArrayList<>();

        Sql(String start, Object... parameters) {
            this.text = new StringBuilder(start);
            this.parameters.addAll(List.of(parameters));
        }

        void append(String piece, Object... more) {
            text.append(piece);
            parameters.addAll(List.of(more));
        }

        PreparedStatement prepare(Connection c) throws SQLException {
            PreparedStatement s = c.prepareStatement(text.toString());
            try {
                for (int i = 0; i < parameters.size(); i++) {
                    s.setObject(i + 1, parameters.get(i));
                }
                return s;
            } catch (SQLException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }
}
