package org.careweave.store.audit;

import java.util.Objects;

import org.careweave.store.auth.Caller;

/**
 * One read (or attempted read) of a person's record.
 *
 * @param personId the person read; null for a search that found nobody
 * @param endpoint method and route template, e.g. {@code GET /api/persons/{personId}}
 * @param query    the request's query string, e.g. the identifier searched for; kept in the audit table only
 * @param status   the HTTP status answered
 * @param client   the caller's address
 */
public record AuditEntry(Caller caller, String personId, String endpoint, String query, int status, String client) {

    public AuditEntry {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
