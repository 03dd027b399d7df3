package org.careweave.store.api;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a person endpoint answers, decided before anything is sent, so that the audit rows can be committed first.
 *
 * @param auditedPersonIds whose records this answer concerns: one audit row each (a null entry: nobody found)
 * @param afterAudit       what the answer does, run only once its audit rows are committed (a decision sent to
 *                         identity, which takes effect as soon as Kafka has it); it throws an {@link ApiProblem} when
 *                         it could not be done, which is then answered, and audited, instead. Null when none.
 */
record Reply(int status, String contentType, String body, Map<String, String> headers,
             List<String> auditedPersonIds, Runnable afterAudit) {

    static final String JSON = "application/json";

    Reply(int status, String contentType, String body, Map<String, String> headers, List<String> auditedPersonIds) {
        this(status, contentType, body, headers, auditedPersonIds, null);
    }

    /** This answer, given once {@code action} has run after the audit rows were committed. */
    Reply afterAudit(Runnable action) {
        return new Reply(status, contentType, body, headers, auditedPersonIds, action);
    }

    static Reply json(String body, List<String> auditedPersonIds) {
        return new Reply(200, JSON, body, Map.of(), auditedPersonIds);
    }

    /** The persons an answer names, for its audit rows: one null entry when it names nobody. */
    static List<String> audited(Collection<String> personIds) {
        return personIds.isEmpty() ? Collections.singletonList(null) : List.copyOf(personIds);
    }

    static Reply problem(Problem problem, String personId) {
        return problem(problem, Collections.singletonList(personId));
    }

    static Reply problem(Problem problem, List<String> auditedPersonIds) {
        return new Reply(problem.status(), Problem.CONTENT_TYPE, problem.toJson(), Map.of(), auditedPersonIds);
    }
}
