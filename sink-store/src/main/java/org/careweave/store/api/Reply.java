package org.careweave.store.api;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a person endpoint answers, decided before anything is sent, so that the audit rows can be committed first.
 *
 * @param auditedPersonIds whose records this answer concerns: one audit row each (a null entry: nobody found)
 */
record Reply(int status, String contentType, String body, Map<String, String> headers,
             List<String> auditedPersonIds) {

    static final String JSON = "application/json";

    static Reply json(String body, List<String> auditedPersonIds) {
        return new Reply(200, JSON, body, Map.of(), auditedPersonIds);
    }

    /** The persons an answer names, for its audit rows: one null entry when it names nobody. */
    static List<String> audited(Collection<String> personIds) {
        return personIds.isEmpty() ? Collections.singletonList(null) : List.copyOf(personIds);
    }

    static Reply problem(Problem problem, String personId) {
        return new Reply(problem.status(), Problem.CONTENT_TYPE, problem.toJson(), Map.of(),
                Collections.singletonList(personId));
    }
}
