package org.careweave.store.api;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.careweave.store.Json;
import org.careweave.store.Times;
import org.careweave.store.api.PersonReads.Found;
import org.careweave.store.api.PersonReads.Redirected;
import org.careweave.store.api.PersonReads.Resolution;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * The API's reads of the identity review queue. A pair's records are shown on the persons that hold their
 * identifiers now (merges and separations move records after identity raised the pair); the person identity named
 * is only the fall-back for an identifier that no view holds yet.
 */
final class ReviewReads {

    /** Of {@code identity_review r}. */
    private static final String COLUMNS = "r.pair_id, r.left_system, r.left_value, r.left_person_id, r.right_system,"
            + " r.right_value, r.right_person_id, r.reason, r.score, r.evidence::text, r.raised_at, r.open,"
            + " r.left_identifier, r.right_identifier";

    /** Which reviews a listing shows. */
    enum Status { OPEN, DECIDED, ALL }

    /** One side of a pair: the record's identifier and the live persons holding it. */
    record Side(String system, String value, List<String> personIds) {
    }

    /** @param leftIdentifier and {@code rightIdentifier}: as identity wrote them, for a decision to name */
    record Review(String pairId, Side left, Side right, String reason, Double score, List<Map<String, Object>> evidence,
                  Instant raisedAt, boolean open, String leftIdentifier, String rightIdentifier) {

        /** Every person the review names, for the audit table. */
        List<String> personIds() {
            Set<String> ids = new LinkedHashSet<>(left.personIds());
            ids.addAll(right.personIds());
            return List.copyOf(ids);
        }
    }

    /** Another person an open review says may be the same patient. */
    /**
     * An identifier a source gave one of the person's records that identity has not accepted, and that no one's
     * record holds yet: the other NHS number of a CONFLICTING_NHS_NUMBER pair, until the records team decides it. Or
     * one of the person's own records that a review questions ({@link #QUESTIONS_A_RECORD}).
     */
    record IdentifierUnderReview(String system, String value, String pairId, String reason, Instant raisedAt) {
    }

    /**
     * Reviews that question one of the person's own records while both its sides are on the person: its NHS number
     * brought it here although its demographics disagree with the person's, its sender unlinked it from a record it
     * shares an NHS number or identifier with, its source changed its NHS number and it followed, or it joined by an
     * NHS number its sender could not confirm against the spine (PID-32 04 or 05), or its source changed its details
     * to disagree with every other record of the person. They name no other person, so the
     * questioned record is shown as under review.
     */
    private static final Set<String> QUESTIONS_A_RECORD = Set.of("NHS_NUMBER_DEMOGRAPHICS_DISAGREE",
            "DEMOGRAPHICS_CHANGED_DISAGREE", "UNLINK_REFUSED", "NHS_NUMBER_CHANGED", "NHS_NUMBER_TRACE_UNRESOLVED");

    /** What the open reviews on a person's records say: possible duplicates, and identifiers under review. */
    record OpenReviews(List<PossibleDuplicate> possibleDuplicates, List<IdentifierUnderReview> identifiers) {
    }

    record PossibleDuplicate(String personId, String pairId, String reason, Double score, Instant raisedAt) {
    }

    private ReviewReads() {
    }

    /** Oldest raised first (the order a queue is worked in), at most {@code limit}. */
    static List<Review> list(Connection c, Status status, int limit) throws SQLException {
        String where = switch (status) {
            case OPEN -> " WHERE r.open";
            case DECIDED -> " WHERE NOT r.open";
            case ALL -> "";
        };
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM identity_review r" + where
                + " ORDER BY r.raised_at, r.pair_id LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.of(rs));
                }
            }
        }
        List<Review> reviews = new ArrayList<>();
        for (Row row : rows) {
            reviews.add(row.resolve(c));
        }
        return reviews;
    }

    static Optional<Review> find(Connection c, String pairId) throws SQLException {
        Row row;
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                + " FROM identity_review r WHERE r.pair_id = ?")) {
            s.setString(1, pairId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                row = Row.of(rs);
            }
        }
        return Optional.of(row.resolve(c));
    }

    /**
     * The other persons of the open reviews that name one of this person's records, oldest raised first. A pair
     * whose two records are now on this one person is not a possible duplicate of anyone.
     */
    static List<PossibleDuplicate> possibleDuplicates(Connection c, String personId) throws SQLException {
        return openReviews(c, personId).possibleDuplicates();
    }

    /**
     * The open reviews that name one of this person's records, oldest raised first: the other persons they name
     * (possible duplicates; a pair whose two records are now on this one person is not a possible duplicate of
     * anyone), and the identifiers they name that no one's record holds.
     */
    static OpenReviews openReviews(Connection c, String personId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        // A side belongs to this person when the person holds its identifier, or (no view holds the identifier yet)
        // when identity named this person for it. Driven from the person's identifiers (a few rows) and person id into
        // the partial indexes on open pairs, so that reading a view costs the same however long the queue is.
        String sides = """
                SELECT %1$s FROM identity_review r JOIN person_identifier i
                    ON i.system = r.left_system AND i.value = r.left_value WHERE i.person_id = ? AND r.open
                UNION SELECT %1$s FROM identity_review r JOIN person_identifier i
                    ON i.system = r.right_system AND i.value = r.right_value WHERE i.person_id = ? AND r.open
                UNION SELECT %1$s FROM identity_review r WHERE r.left_person_id = ? AND r.open AND NOT EXISTS (
                    SELECT 1 FROM person_identifier i WHERE i.system = r.left_system AND i.value = r.left_value)
                UNION SELECT %1$s FROM identity_review r WHERE r.right_person_id = ? AND r.open AND NOT EXISTS (
                    SELECT 1 FROM person_identifier i WHERE i.system = r.right_system AND i.value = r.right_value)
                ORDER BY raised_at, pair_id""".formatted(COLUMNS);
        try (PreparedStatement s = c.prepareStatement(sides)) {
            for (int i = 1; i <= 4; i++) {
                s.setString(i, personId);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.of(rs));
                }
            }
        }
        List<PossibleDuplicate> duplicates = new ArrayList<>();
        List<IdentifierUnderReview> identifiers = new ArrayList<>();
        for (Row row : rows) {
            Review review = row.resolve(c);
            Set<String> others = new LinkedHashSet<>();
            if (review.left().personIds().contains(personId)) {
                others.addAll(review.right().personIds());
                unheld(review.right(), review, identifiers);
            }
            if (review.right().personIds().contains(personId)) {
                others.addAll(review.left().personIds());
                unheld(review.left(), review, identifiers);
            }
            others.remove(personId);
            if (QUESTIONS_A_RECORD.contains(review.reason())) {
                if (others.isEmpty() && review.left().personIds().contains(personId)) {
                    identifiers.add(new IdentifierUnderReview(review.left().system(), review.left().value(),
                            review.pairId(), review.reason(), review.raisedAt()));
                }
                // A question about one record of a person, never "these may be one patient": once its two sides are
                // on different persons (the record left, its NHS number corrected), it names no possible duplicate.
                continue;
            }
            for (String other : others) {
                duplicates.add(new PossibleDuplicate(other, review.pairId(), review.reason(), review.score(),
                        review.raisedAt()));
            }
        }
        return new OpenReviews(duplicates, identifiers);
    }

    private static void unheld(Side other, Review review, List<IdentifierUnderReview> identifiers) {
        if (other.personIds().isEmpty()) {
            identifiers.add(new IdentifierUnderReview(other.system(), other.value(), review.pairId(), review.reason(),
                    review.raisedAt()));
        }
    }

    /** A row as stored, before its sides are resolved to live persons. */
    private record Row(String pairId, String leftSystem, String leftValue, String leftPersonId, String rightSystem,
                       String rightValue, String rightPersonId, String reason, Double score, String evidence,
                       Instant raisedAt, boolean open, String leftIdentifier, String rightIdentifier) {

        static Row of(ResultSet rs) throws SQLException {
            double score = rs.getDouble(9);
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.wasNull() ? null : score,
                    rs.getString(10), rs.getTimestamp(11).toInstant(), rs.getBoolean(12), rs.getString(13),
                    rs.getString(14));
        }

        Review resolve(Connection c) throws SQLException {
            List<Map<String, Object>> evidenceRows;
            try {
                evidenceRows = Json.mapper().readValue(evidence, new TypeReference<>() {
                });
            } catch (IOException e) {
                throw new IllegalStateException("identity_review.evidence of pair " + pairId + " is not JSON", e);
            }
            return new Review(pairId, side(c, leftSystem, leftValue, leftPersonId),
                    side(c, rightSystem, rightValue, rightPersonId), reason, score, evidenceRows, raisedAt, open,
                    leftIdentifier, rightIdentifier);
        }
    }

    private static Side side(Connection c, String system, String value, String namedPersonId) throws SQLException {
        List<String> holders = PersonReads.holders(c, system, value);
        if (holders.isEmpty() && namedPersonId != null) {
            holders = List.of(namedPersonId);
        }
        Set<String> live = new LinkedHashSet<>();
        for (String holder : holders) {
            Resolution resolution = PersonReads.resolve(c, holder);
            if (resolution instanceof Found found) {
                live.add(found.personId());
            } else if (resolution instanceof Redirected redirected) {
                live.add(redirected.survivorPersonId());
            }
        }
        return new Side(system, value, List.copyOf(live));
    }

    /** The review as the API shows it. */
    static Map<String, Object> json(Review review) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pairId", review.pairId());
        body.put("status", review.open() ? "open" : "decided");
        body.put("reason", review.reason());
        body.put("score", review.score());
        body.put("raisedAt", Times.format(review.raisedAt(), ZoneOffset.UTC));
        body.put("left", side(review.left()));
        body.put("right", side(review.right()));
        body.put("evidence", review.evidence());
        return body;
    }

    private static Map<String, Object> side(Side side) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifier", Map.of("system", side.system(), "value", side.value()));
        body.put("personIds", side.personIds());
        return body;
    }
}
