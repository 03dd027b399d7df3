package org.careweave.store.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.schemas.keys.ReviewPairIds;
import org.careweave.store.Json;
import org.careweave.store.Times;
import org.careweave.store.api.ReviewReads.Review;
import org.careweave.store.api.ReviewReads.Status;
import org.careweave.store.auth.Caller;
import org.careweave.store.reviews.DecisionSender;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * The identity review queue through the API: the pairs identity could not decide alone, and people's decisions on
 * them. A decision is sent to identity, which applies it in order with the patient events around it and then
 * publishes the review closed; until then the pair stays open here.
 */
final class ReviewEndpoints {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    static final int MAX_NOTE_LENGTH = 500;
    /** Answered to a decision: taken (Kafka has it), not yet applied. */
    static final int ACCEPTED = 202;

    private final DecisionSender decisions;
    private final Clock clock;

    ReviewEndpoints(DecisionSender decisions, Clock clock) {
        this.decisions = decisions;
        this.clock = clock;
    }

    /** {@code GET /api/reviews?status=open|decided|all&limit=} */
    Reply list(Connection c, Context ctx, Caller caller) throws SQLException {
        Status status = status(ctx.queryParam("status"));
        int limit = PersonEndpoints.limit(ctx.queryParam("limit"), DEFAULT_LIMIT, MAX_LIMIT);
        List<Review> reviews = ReviewReads.list(c, status, limit);
        List<Map<String, Object>> shown = new ArrayList<>();
        Set<String> persons = new LinkedHashSet<>();
        for (Review review : reviews) {
            shown.add(ReviewReads.json(review));
            persons.addAll(review.personIds());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reviews", shown);
        return Reply.json(Json.write(body), Reply.audited(persons));
    }

    /** {@code POST /api/reviews/{pairId}/decision} with {@code {"verdict": "same-person"|"different-persons"}} */
    Reply decide(Connection c, Context ctx, Caller caller) throws SQLException {
        String pairId = ctx.pathParam("pairId");
        Verdict verdict = Verdict.parse(ctx.body());
        Review review = ReviewReads.find(c, pairId).orElseThrow(() -> new ApiProblem(
                Problem.notFound("No review pair " + pairId + " is on record.")));
        if (!review.open()) {
            throw new ApiProblem(Problem.of("already-decided", "Already decided", 409, "Review pair " + pairId
                    + " was decided already (" + review.reason() + "); a decision is not taken back here: ask"
                    + " for the records to be separated (POST " + Routes.SEPARATIONS + ") or merged instead."));
        }
        ReviewDecision decision = decision(pairId, review.leftIdentifier(), review.rightIdentifier(),
                verdict.verdict(), caller, verdict.note());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pairId", pairId);
        body.put("verdict", verdict.text());
        body.put("decidedBy", decision.getDecidedBy());
        body.put("decidedAt", Times.format(decision.getDecidedAt(), ZoneOffset.UTC));
        body.put("note", decision.getNote());
        body.put("status", "sent");
        body.put("detail", "Identity applies the decision in order with the patient events around it; the review"
                + " is then listed as decided. A decision identity refuses (e.g. two different NHS numbers) leaves"
                + " it open, and the refusal is counted in careweave_identity_decisions_total.");
        return new Reply(ACCEPTED, Reply.JSON, Json.write(body), Map.of("Location", Routes.REVIEWS
                + "?status=all"), Reply.audited(review.personIds())).afterAudit(() -> send(decision));
    }

    /**
     * {@code POST /api/persons/{personId}/separations} with {@code {"record": "system|value", "from": "system|value"}}:
     * undoes a false link no review named. Both records must be on the person now; identity moves {@code record} to a
     * person of its own and keeps the two apart from then on, or refuses (a shared NHS number or identifier: the
     * organisations' statement, corrected at the source).
     */
    Reply separate(Connection c, Context ctx, Caller caller) throws SQLException {
        String personId = ctx.pathParam("personId");
        RecordPair pair = RecordPair.parse(ctx.body(), "from");
        Optional<Reply> elsewhere = PersonEndpoints.redirectIfMerged(c, personId, "/separations", ctx.queryString());
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        for (String identifier : List.of(pair.record(), pair.other())) {
            if (!holders(c, identifier).contains(personId)) {
                throw new ApiProblem(Problem.of("not-on-person", "Not on this person", 409, "The record "
                        + identifier + " is not on person " + personId + " now, so there is nothing to separate;"
                        + " nothing was sent."));
            }
        }
        String pairId = ReviewPairIds.separation(pair.record(), pair.other());
        ReviewDecision decision = decisionOnce(c, pairId, pair, ReviewVerdict.DIFFERENT_PERSONS, caller,
                "These two records were decided to be different persons already (" + pairId + "); identity does"
                        + " not apply the same decision twice. Records linked again since by an NHS number or a"
                        + " merge are linked by the organisations' statement: correct it at the source.");
        Map<String, Object> body = sent(decision, personId, "from");
        body.put("detail", "Identity moves the record to a person of its own, with its results and encounters, and"
                + " keeps the two records apart from then on; the pair is then listed as decided. Identity refuses"
                + " when the record shares an NHS number or another identifier with a record that stays, or is its"
                + " person's only record: the person is then unchanged, and the refusal is counted in"
                + " careweave_identity_decisions_total.");
        return new Reply(ACCEPTED, Reply.JSON, Json.write(body), Map.of("Location", Routes.REVIEWS
                + "?status=decided"), List.of(personId)).afterAudit(() -> send(decision));
    }

    /**
     * {@code POST /api/persons/{personId}/links} with {@code {"record": "system|value", "with": "system|value"}}:
     * mends a missed link no review raised. {@code with} must be on the person and {@code record} on another;
     * identity merges the two persons (the younger into the older), or refuses when they hold different NHS numbers,
     * which this refuses first where the store already shows them.
     */
    Reply link(Connection c, Context ctx, Caller caller) throws SQLException {
        String personId = ctx.pathParam("personId");
        RecordPair pair = RecordPair.parse(ctx.body(), "with");
        Optional<Reply> elsewhere = PersonEndpoints.redirectIfMerged(c, personId, "/links", ctx.queryString());
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        if (!holders(c, pair.other()).contains(personId)) {
            throw new ApiProblem(Problem.of("not-on-person", "Not on this person", 409, "The record "
                    + pair.other() + " is not on person " + personId + " now; name one of its records as \"with\"."
                    + " Nothing was sent."));
        }
        List<String> others = holders(c, pair.record());
        if (others.isEmpty()) {
            throw new ApiProblem(Problem.of("unknown-record", "No such record", 409, "No person holds the record "
                    + pair.record() + " now; nothing was sent."));
        }
        if (others.contains(personId)) {
            throw new ApiProblem(Problem.of("already-linked", "Already linked", 409, "The record " + pair.record()
                    + " is on person " + personId + " already; nothing was sent."));
        }
        Set<String> persons = new LinkedHashSet<>();
        persons.add(personId);
        persons.addAll(others);
        Set<String> nhsNumbers = PersonReads.nhsNumbers(c, personId);
        for (String other : others) {
            Set<String> theirs = PersonReads.nhsNumbers(c, other);
            if (!nhsNumbers.isEmpty() && !theirs.isEmpty() && theirs.stream().noneMatch(nhsNumbers::contains)) {
                Problem refusal = Problem.of("different-nhs-numbers", "Different NHS numbers", 409, "Person "
                        + personId + " and person " + other + " hold different NHS numbers, which careweave never"
                        + " links: correct the NHS number at its source. Nothing was sent.");
                return new Reply(refusal.status(), Problem.CONTENT_TYPE, refusal.toJson(), Map.of(),
                        List.copyOf(persons));
            }
        }
        String pairId = ReviewPairIds.link(pair.record(), pair.other());
        ReviewDecision decision = decisionOnce(c, pairId, pair, ReviewVerdict.SAME_PERSON, caller,
                "These two records were linked by a decision already (" + pairId + "), and identity applies a"
                        + " decision on the same two records once. To link the persons again, name another record of"
                        + " either.");
        Map<String, Object> body = sent(decision, personId, "with");
        body.put("personIds", List.copyOf(persons));
        body.put("detail", "Identity merges the two persons, the younger into the older (which then answers 308 to"
                + " the survivor), with their results and encounters; the pair is then listed as decided. Identity"
                + " refuses when the persons hold different NHS numbers: they then stay apart, and the refusal is"
                + " counted in careweave_identity_decisions_total.");
        return new Reply(ACCEPTED, Reply.JSON, Json.write(body), Map.of("Location", Routes.REVIEWS
                + "?status=decided"), List.copyOf(persons)).afterAudit(() -> send(decision));
    }

    private static List<String> holders(Connection c, String identifier) throws SQLException {
        int bar = identifier.indexOf('|');
        return PersonReads.holders(c, identifier.substring(0, bar), identifier.substring(bar + 1));
    }

    /** The decision on two records, to send, unless identity has closed the same pair already. */
    private ReviewDecision decisionOnce(Connection c, String pairId, RecordPair pair, ReviewVerdict verdict,
                                        Caller caller, String alreadyDecided) throws SQLException {
        Optional<Review> earlier = ReviewReads.find(c, pairId);
        if (earlier.isPresent() && !earlier.get().open()) {
            throw new ApiProblem(Problem.of("already-decided", "Already decided", 409, alreadyDecided));
        }
        return decision(pairId, pair.record(), pair.other(), verdict, caller, pair.note());
    }

    /**
     * A decision as it will be sent. It is sent only after the answer's audit rows are committed
     * ({@link Reply#afterAudit}): once Kafka has it, identity applies it, and no decision may take effect without the
     * row saying who made it.
     */
    private ReviewDecision decision(String pairId, String left, String right, ReviewVerdict verdict, Caller caller,
                                    String note) {
        return ReviewDecision.newBuilder()
                .setPairId(pairId)
                .setLeftIdentifier(left)
                .setRightIdentifier(right)
                .setVerdict(verdict)
                // Who decided is who holds the token, never what the request says.
                .setDecidedBy(caller.subject())
                .setDecidedAt(clock.instant())
                .setNote(note)
                .build();
    }

    /** Writes a decision to identity.decisions and waits for Kafka to have it; 503 when it did not. */
    private void send(ReviewDecision decision) {
        try {
            decisions.send(decision);
        } catch (DecisionSender.DecisionNotSent e) {
            throw new ApiProblem(Problem.unavailable(e.getMessage() + ". Nothing was decided; try again."));
        }
    }

    private static Map<String, Object> sent(ReviewDecision decision, String personId, String otherName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pairId", decision.getPairId());
        body.put("personId", personId);
        body.put("record", decision.getLeftIdentifier());
        body.put(otherName, decision.getRightIdentifier());
        body.put("decidedBy", decision.getDecidedBy());
        body.put("decidedAt", Times.format(decision.getDecidedAt(), ZoneOffset.UTC));
        body.put("note", decision.getNote());
        body.put("status", "sent");
        return body;
    }

    private static Status status(String text) {
        if (text == null || text.isBlank()) {
            return Status.OPEN;
        }
        try {
            return Status.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(Problem.badRequest("status must be open, decided or all."));
        }
    }

    /**
     * The body of a separation or a link: {@code record}, the record the decision is about, the {@code other} record
     * (named {@code from} or {@code with} in the request), and a note.
     */
    record RecordPair(String record, String other, String note) {

        static RecordPair parse(String body, String otherName) {
            JsonNode json = object(body, "{\"record\": \"system|value\", \"" + otherName
                    + "\": \"system|value\", \"note\": optional}");
            String record = identifier(json, "record");
            String other = identifier(json, otherName);
            if (record.equals(other)) {
                throw new ApiProblem(Problem.badRequest("record and " + otherName + " must be two different records."));
            }
            return new RecordPair(record, other, noteOf(json));
        }

        private static String identifier(JsonNode json, String name) {
            JsonNode node = json.get(name);
            String text = node == null || !node.isTextual() ? "" : node.asText().strip();
            int bar = text.indexOf('|');
            // No identifier holds a NUL, and PostgreSQL could not look one up.
            if (bar <= 0 || bar == text.length() - 1 || text.indexOf('|', bar + 1) >= 0
                    || text.indexOf('\u0000') >= 0) {
                throw new ApiProblem(Problem.badRequest(name + " must be a record's identifier as system|value, e.g."
                        + " RHMX1|L300."));
            }
            return text;
        }
    }

    private static JsonNode object(String body, String expected) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body == null ? "" : body);
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new ApiProblem(Problem.badRequest("The body must be a JSON object: " + expected + "."));
        }
        return json;
    }

    private static String noteOf(JsonNode json) {
        JsonNode noteNode = json.get("note");
        if (noteNode == null || noteNode.isNull()) {
            return null;
        }
        if (!noteNode.isTextual() || noteNode.asText().length() > MAX_NOTE_LENGTH) {
            throw new ApiProblem(Problem.badRequest("note must be text of at most " + MAX_NOTE_LENGTH
                    + " characters."));
        }
        return noteNode.asText().isBlank() ? null : noteNode.asText();
    }

    /** What the request body asks for. */
    record Verdict(ReviewVerdict verdict, String text, String note) {

        static Verdict parse(String body) {
            JsonNode json = object(body,
                    "{\"verdict\": \"same-person\" or \"different-persons\", \"note\": optional}");
            JsonNode verdict = json.get("verdict");
            String text = verdict == null || !verdict.isTextual() ? "" : verdict.asText();
            ReviewVerdict parsed = switch (text) {
                case "same-person" -> ReviewVerdict.SAME_PERSON;
                case "different-persons" -> ReviewVerdict.DIFFERENT_PERSONS;
                default -> throw new ApiProblem(Problem.badRequest(
                        "verdict must be \"same-person\" or \"different-persons\"."));
            };
            String note = noteOf(json);
            return new Verdict(parsed, text, note);
        }
    }
}
