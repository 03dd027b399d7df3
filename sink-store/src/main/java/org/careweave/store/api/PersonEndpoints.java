package org.careweave.store.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.careweave.store.Json;
import org.careweave.store.Times;
import org.careweave.store.audit.AuditLog;
import org.careweave.store.auth.TokenHash;
import org.careweave.store.api.PersonReads.Found;
import org.careweave.store.api.PersonReads.Missing;
import org.careweave.store.api.PersonReads.Redirected;
import org.careweave.store.api.PersonReads.Resolution;

import io.javalin.http.Context;

/** The person-identifiable endpoints. Each returns its answer; ApiServer audits it, commits, then sends it. */
final class PersonEndpoints {

    /** Permanent because a merge is a decision about identity, and 308 (unlike 301) keeps the method. */
    static final int MERGED_STATUS = 308;
    static final int NOT_MODIFIED = 304;
    /** At most this many persons a search by demographics names. */
    static final int MAX_DEMOGRAPHIC_HITS = 20;
    static final int AUDIT_LIMIT = 500;
    static final int MAX_AUDIT_LIMIT = 5_000;
    /** The most results one page holds. */
    static final int MAX_RESULTS_PAGE = 5_000;
    /** Codes one "before you order" check takes: a panel, not a catalogue. */
    static final int MAX_RECENT_TEST_CODES = 20;

    private final RetestIntervals retestIntervals;
    private final Clock clock;

    PersonEndpoints(RetestIntervals retestIntervals, Clock clock) {
        this.retestIntervals = retestIntervals;
        this.clock = clock;
    }

    /**
     * {@code GET /api/persons?identifier=system|value}, or by demographics
     * {@code ?family=&birthdate=[&given=][&address-postalcode=]}.
     */
    Reply search(Connection c, Context ctx) throws SQLException {
        String family = ctx.queryParam(DemographicSearch.FAMILY);
        String birthDate = ctx.queryParam(DemographicSearch.BIRTH_DATE);
        String given = ctx.queryParam(DemographicSearch.GIVEN);
        String postcode = ctx.queryParam(DemographicSearch.POSTCODE);
        String identifierText = ctx.queryParam("identifier");
        List<String> persons;
        boolean truncated = false;
        if (DemographicSearch.asked(family, birthDate, given, postcode)) {
            if (identifierText != null && !identifierText.isBlank()) {
                throw new ApiProblem(Problem.badRequest("Search by identifier or by demographics, not both."));
            }
            DemographicSearch search = DemographicSearch.parse(family, birthDate, given, postcode);
            List<String> found = PersonReads.searchByDemographics(c, search, MAX_DEMOGRAPHIC_HITS + 1);
            persons = found.subList(0, Math.min(found.size(), MAX_DEMOGRAPHIC_HITS));
            // More alike than a clinician can tell apart from ids: ask for more of what they know instead.
            truncated = found.size() > MAX_DEMOGRAPHIC_HITS;
        } else {
            TokenParameter identifier = TokenParameter.parseWithSystem("identifier", identifierText);
            String system = identifier.system().orElseThrow();
            // NHS numbers are written and copied as 999 000 0018 or 999-000-0018; they are stored as ten digits.
            String value = PersonReads.NHS_NUMBER_SYSTEM.equals(system)
                    ? identifier.value().replace(" ", "").replace("-", "") : identifier.value();
            persons = PersonReads.search(c, system, value);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("persons", persons.stream().map(id -> Map.of("personId", id)).toList());
        if (truncated) {
            body.put("truncated", true);
        }
        return Reply.json(Json.write(body), Reply.audited(persons));
    }

    /**
     * {@code GET /api/persons/{personId}}, with an ETag: an app that polls a person's view (megabytes for a long
     * history) sends it back in If-None-Match and gets 304 without the view while nothing changed.
     */
    Reply person(Connection c, Context ctx) throws SQLException {
        String personId = ctx.pathParam("personId");
        Optional<Reply> elsewhere = redirectIfMerged(c, personId, "", ctx.queryString());
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        ReviewReads.OpenReviews reviews = ReviewReads.openReviews(c, personId);
        List<Map<String, Object>> duplicates = new ArrayList<>();
        for (ReviewReads.PossibleDuplicate d : reviews.possibleDuplicates()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("personId", d.personId());
            shown.put("pairId", d.pairId());
            shown.put("reason", d.reason());
            shown.put("score", d.score());
            shown.put("raisedAt", Times.format(d.raisedAt(), ZoneOffset.UTC));
            duplicates.add(shown);
        }
        List<Map<String, Object>> underReview = new ArrayList<>();
        for (ReviewReads.IdentifierUnderReview i : reviews.identifiers()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("identifier", Map.of("system", i.system(), "value", i.value()));
            shown.put("pairId", i.pairId());
            shown.put("reason", i.reason());
            shown.put("raisedAt", Times.format(i.raisedAt(), ZoneOffset.UTC));
            underReview.add(shown);
        }
        String duplicatesJson = Json.write(duplicates);
        String underReviewJson = Json.write(underReview);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            // Asked whether the client's copy is current: the tag alone answers that, without the view's megabytes.
            String etag = etag(PersonReads.viewTag(c, personId).orElseThrow(() -> notFound(personId)),
                    duplicatesJson + underReviewJson);
            if (matches(ifNoneMatch, etag)) {
                return new Reply(NOT_MODIFIED, Reply.JSON, "", Map.of("ETag", etag), List.of(personId));
            }
        }
        PersonReads.StoredView view = PersonReads.view(c, personId).orElseThrow(() -> notFound(personId));
        String document = withMembers(view.document(), "possibleDuplicates", duplicatesJson,
                "identifiersUnderReview", underReviewJson);
        return new Reply(200, Reply.JSON, document, Map.of("ETag", etag(view.tag(), duplicatesJson + underReviewJson)),
                List.of(personId));
    }

    /** The answer is the stored row with the possible duplicates read now: the tag covers both. */
    private static String etag(String rowTag, String duplicatesJson) {
        return "\"" + rowTag + "-" + TokenHash.sha256Hex(duplicatesJson).substring(0, 16) + "\"";
    }

    /** If-None-Match: {@code *}, or a comma-separated list of tags (weak ones compared by their opaque part). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || (tag.startsWith("W/") && tag.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }

    /** {@code GET /api/persons/{personId}/results?code=&from=&to=&limit=&after=} */
    Reply results(Connection c, Context ctx) throws SQLException {
        String personId = ctx.pathParam("personId");
        String code = ctx.queryParam("code");
        Optional<TokenParameter> token = code == null || code.isBlank() ? Optional.empty()
                : Optional.of(TokenParameter.parse("code", code));
        Optional<TimeBound> from = TimeBound.parse("from", ctx.queryParam("from"));
        Optional<TimeBound> to = TimeBound.parse("to", ctx.queryParam("to"));
        TimeBound.checkOrder(from, to);
        String limitText = ctx.queryParam("limit");
        OptionalInt limit = limitText == null || limitText.isBlank() ? OptionalInt.empty()
                : OptionalInt.of(limit(limitText, MAX_RESULTS_PAGE, MAX_RESULTS_PAGE));
        String afterText = ctx.queryParam("after");
        Optional<ResultCursor> after = afterText == null || afterText.isBlank() ? Optional.empty()
                : Optional.of(ResultCursor.parse(afterText));
        if (after.isPresent() && limit.isEmpty()) {
            throw new ApiProblem(Problem.badRequest("after pages through results: give limit with it."));
        }
        Optional<Reply> elsewhere = redirectIfMerged(c, personId, "/results", ctx.queryString());
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        PersonReads.ResultsPage page = PersonReads.results(c, personId, token, from, to, limit, after);
        StringBuilder body = new StringBuilder("{\"personId\":").append(Json.write(personId))
                .append(",\"results\":[").append(String.join(",", page.documents())).append(']');
        page.next().ifPresent(next -> body.append(",\"next\":").append(Json.write(nextPage(personId, ctx, next))));
        return Reply.json(body.append('}').toString(), List.of(personId));
    }

    /** The next page's link: the same request with the cursor moved on. */
    private static String nextPage(String personId, Context ctx, ResultCursor next) {
        StringBuilder link = new StringBuilder("/api/persons/").append(pathSegment(personId)).append("/results?");
        for (String name : List.of("code", "from", "to", "limit")) {
            String value = ctx.queryParam(name);
            if (value != null && !value.isBlank()) {
                link.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            }
        }
        return link.append("after=").append(next.encode()).toString();
    }

    /**
     * {@code GET /api/persons/{personId}/recent-tests?code=system|code[&code=...]}: one test's check, or, for a panel
     * (the code repeated), each test's check at the same instant.
     */
    Reply recentTests(Connection c, Context ctx) throws SQLException {
        String personId = ctx.pathParam("personId");
        List<String> asked = ctx.queryParams("code").stream().distinct().toList();
        if (asked.size() > MAX_RECENT_TEST_CODES) {
            throw new ApiProblem(Problem.badRequest("At most " + MAX_RECENT_TEST_CODES
                    + " codes can be checked at once."));
        }
        List<TokenParameter> codes = asked.isEmpty() ? List.of(TokenParameter.parse("code", null))
                : asked.stream().map(text -> TokenParameter.parse("code", text)).toList();
        Optional<Reply> elsewhere = redirectIfMerged(c, personId, "/recent-tests", ctx.queryString());
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        Instant now = clock.instant();
        List<String> duplicates = ReviewReads.possibleDuplicates(c, personId).stream()
                .map(ReviewReads.PossibleDuplicate::personId).distinct().toList();
        if (codes.size() == 1) {
            return Reply.json(Json.write(recentTest(c, personId, codes.get(0), now).withPossibleDuplicates(
                    duplicates)), List.of(personId));
        }
        List<RecentTestCheck.Answer> answers = new ArrayList<>();
        for (TokenParameter code : codes) {
            answers.add(recentTest(c, personId, code, now).withPossibleDuplicates(duplicates));
        }
        return Reply.json(Json.write(RecentTestCheck.Panel.of(personId, answers, now, ZoneOffset.UTC)),
                List.of(personId));
    }

    private RecentTestCheck.Answer recentTest(Connection c, String personId, TokenParameter code, Instant now)
            throws SQLException {
        // One test may be coded several ways (HbA1c in % and in mmol/mol): a result under any of its rule's codes counts.
        List<String> sameTest = retestIntervals.sameTest(code.systemOrNull(), code.value());
        Optional<PersonReads.LastResult> last = PersonReads.lastResult(c, personId, code, sameTest);
        Optional<RetestIntervals.Interval> interval = retestIntervals.forCode(code.systemOrNull(), code.value());
        if (last.isPresent() && !isAsked(code, last.get().code())) {
            // Asked by a local code, the result found is stored under the code it was mapped to (e.g. LOINC). The rule
            // may be written for that code, and other sources (a GP's copy, another laboratory) report the same test
            // under it without the local code: look again with it, or a newer result of the test is missed.
            PersonReads.StoredCode stored = last.get().code();
            List<String> widened = new ArrayList<>(sameTest);
            if (interval.isEmpty()) {
                interval = retestIntervals.forCode(stored.system(), stored.code());
                widened.addAll(retestIntervals.sameTest(stored.system(), stored.code()));
            }
            if (stored.system() != null && stored.code() != null) {
                widened.add(stored.system() + "|" + stored.code());
            }
            sameTest = widened.stream().distinct().toList();
            last = PersonReads.lastResult(c, personId, code, sameTest);
        }
        Optional<OffsetDateTime> lastCollected = last.map(l -> l.result().collected());
        return RecentTestCheck.decide(personId, code, last.map(PersonReads.LastResult::result), interval, now,
                ZoneOffset.UTC).withLaterNotObtained(PersonReads.laterNotObtained(c, personId, code, sameTest,
                lastCollected));
    }

    /** Whether a result stored under this code is one the code asked matches by its stored (not its source) code. */
    private static boolean isAsked(TokenParameter asked, PersonReads.StoredCode stored) {
        return asked.value().equals(stored.code())
                && asked.system().map(system -> system.isEmpty() ? stored.system() == null
                        : system.equals(stored.system())).orElse(true);
    }

    /**
     * {@code GET /api/persons/{personId}/audit?from=&to=&limit=}: who read this person's record (and the records of
     * persons merged into it), newest first. Dates are whole days in UTC.
     */
    Reply audit(Connection c, Context ctx) throws SQLException {
        String personId = ctx.pathParam("personId");
        Optional<TimeBound> from = TimeBound.parse("from", ctx.queryParam("from"));
        Optional<TimeBound> to = TimeBound.parse("to", ctx.queryParam("to"));
        TimeBound.checkOrder(from, to);
        int limit = limit(ctx.queryParam("limit"), AUDIT_LIMIT, MAX_AUDIT_LIMIT);
        Optional<Reply> elsewhere = redirectIfMerged(c, personId, "/audit", ctx.queryString());
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        List<String> persons = PersonReads.withMerged(c, personId);
        List<AuditLog.Access> accesses = AuditLog.accesses(c, persons, from.map(b -> start(b)),
                to.map(b -> end(b)), limit + 1);
        List<Map<String, Object>> shown = new ArrayList<>();
        for (AuditLog.Access a : accesses.subList(0, Math.min(limit, accesses.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("at", Times.format(a.at(), ZoneOffset.UTC));
            row.put("subject", a.subject());
            row.put("role", a.role());
            row.put("personId", a.personId());
            row.put("endpoint", a.endpoint());
            row.put("status", a.status());
            row.put("client", a.client());
            shown.add(row);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("personId", personId);
        body.put("personIds", persons);
        body.put("accesses", shown);
        body.put("truncated", accesses.size() > limit);
        return Reply.json(Json.write(body), List.of(personId));
    }

    private static Instant start(TimeBound bound) {
        return bound instanceof TimeBound.OnDate d ? d.date().atStartOfDay(ZoneOffset.UTC).toInstant()
                : ((TimeBound.AtInstant) bound).instant().toInstant();
    }

    private static Instant end(TimeBound bound) {
        return bound instanceof TimeBound.OnDate d ? d.date().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .minusNanos(1000) : ((TimeBound.AtInstant) bound).instant().toInstant();
    }

    static int limit(String text, int defaultLimit, int max) {
        if (text == null || text.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiProblem(Problem.badRequest("limit must be a whole number from 1 to " + max + "."));
    }

    /**
     * The stored document with one more member: the possible duplicates are read when the view is, so that a
     * decision shows at once, without the stored view (which can be megabytes) being parsed and written again.
     */
    /**
     * The object with members added, given as name, JSON value, name, JSON value...; the view is copied once,
     * however many are added (a view can be megabytes).
     */
    static String withMembers(String objectJson, String... namesAndValues) {
        int open = objectJson.indexOf('{');
        int close = objectJson.lastIndexOf('}');
        if (open < 0 || close < open || namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("not a JSON object, or a name without its value");
        }
        StringBuilder out = new StringBuilder(objectJson.length() + 256).append(objectJson, 0, close);
        boolean empty = objectJson.substring(open + 1, close).isBlank();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.append(empty && i == 0 ? "" : ",").append(Json.write(namesAndValues[i])).append(':')
                    .append(namesAndValues[i + 1]);
        }
        return out.append(objectJson, close, objectJson.length()).toString();
    }

    static Optional<Reply> redirectIfMerged(Connection c, String personId, String subPath, String query)
            throws SQLException {
        Resolution resolution = PersonReads.resolve(c, personId);
        if (resolution instanceof Missing) {
            throw notFound(personId);
        }
        if (resolution instanceof Redirected redirected) {
            String location = "/api/persons/" + pathSegment(redirected.survivorPersonId()) + subPath
                    + (query == null || query.isEmpty() ? "" : "?" + query);
            Problem problem = Problem.merged(personId, redirected.survivorPersonId(), location, MERGED_STATUS);
            return Optional.of(new Reply(MERGED_STATUS, Problem.CONTENT_TYPE, problem.toJson(),
                    Map.of("Location", location), List.of(personId)));
        }
        assert resolution instanceof Found;
        return Optional.empty();
    }

    private static ApiProblem notFound(String personId) {
        return new ApiProblem(Problem.notFound("No person " + personId + " is on record."));
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters. */
    static String pathSegment(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        for (byte raw : bytes) {
            int ch = raw & 0xff;
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'
                    || ch == '.' || ch == '_' || ch == '~') {
                b.append((char) ch);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(ch >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(ch & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
