package org.careweave.store.api;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of a person's results ended, in their order (newest collection first, results without a collection
 * time last, then by result id): the next page starts after it. Opaque to clients, so that the order's keys can
 * change; it names no patient data beyond the result id the page already showed.
 *
 * @param collectedAt the last result's collection time; empty when it had none
 */
record ResultCursor(Optional<Instant> collectedAt, String resultId) {

    private static final String VERSION = "r1";

    String encode() {
        String text = VERSION + "|" + collectedAt.map(Instant::toString).orElse("") + "|" + resultId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static ResultCursor parse(String text) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
            String[] parts = decoded.split("\\|", 3);
            // Made up rather than given by a page, a cursor could hold what PostgreSQL refuses: a NUL, a year 300000.
            if (parts.length == 3 && parts[0].equals(VERSION) && !parts[2].isEmpty()
                    && RequestChecks.couldBeAnId(parts[2])) {
                Optional<Instant> collected = parts[1].isEmpty() ? Optional.empty()
                        : Optional.of(Instant.parse(parts[1]));
                if (collected.isEmpty() || TimeBound.withinYears(collected.get().atOffset(ZoneOffset.UTC).getYear())) {
                    return new ResultCursor(collected, parts[2]);
                }
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // answered below
        }
        throw new ApiProblem(Problem.badRequest("after must be the cursor a previous page's next link gave."));
    }
}
