package org.careweave.store.api;

import java.util.List;
import java.util.Map;

import io.javalin.http.Context;

/**
 * What the API refuses of a request before it reads anything: text no record holds and PostgreSQL could not even look
 * up or audit. Before, PostgreSQL's refusal (a NUL in text, SQLSTATE 22021; an audit row's index entry over about
 * 2,700 bytes) was answered 500, with no audit row.
 */
final class RequestChecks {

    /**
     * The longest id a path may name. careweave's own ids are under 30 characters (cwp-..., pair-...); an id of
     * thousands would overflow the index of the audit rows that name it.
     */
    static final int MAX_ID_LENGTH = 200;

    private static final char NUL = '\u0000';
    private static final Map<String, String> PATH_IDS = Map.of("personId", "person", "pairId", "review pair");

    private RequestChecks() {
    }

    /**
     * Whether an id can be on record: not longer than any careweave gives, and without a NUL (Jetty refuses one in a
     * path before any handler, but a made-up result cursor can carry one).
     */
    static boolean couldBeAnId(String id) {
        return id != null && id.length() <= MAX_ID_LENGTH && id.indexOf(NUL) < 0;
    }

    /**
     * @throws ApiProblem 404 for an id in the path that no record can have, as for any id not on record; 400 for a
     *                    query parameter holding a NUL character, which no value has (PostgreSQL refuses it)
     */
    static void check(Context ctx) {
        for (Map.Entry<String, String> param : ctx.pathParamMap().entrySet()) {
            String what = PATH_IDS.get(param.getKey());
            if (what != null && !couldBeAnId(param.getValue())) {
                // Not echoed: it is no one's id, and may be kilobytes.
                throw new ApiProblem(Problem.notFound("No " + what + " is on record under this id."));
            }
        }
        for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
            boolean nul = param.getKey().indexOf(NUL) >= 0
                    || param.getValue().stream().anyMatch(value -> value.indexOf(NUL) >= 0);
            if (nul) {
                throw new ApiProblem(Problem.badRequest("Parameter '" + param.getKey().replace(NUL, '?')
                        + "' holds a NUL character (%00), which no value has."));
            }
        }
    }
}
