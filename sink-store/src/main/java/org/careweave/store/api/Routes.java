package org.careweave.store.api;

import java.util.List;

/** Every route the API serves; the OpenAPI document must describe each (OpenApiDocumentTest checks). */
public final class Routes {

    public static final String SEARCH = "/api/persons";
    public static final String PERSON = "/api/persons/{personId}";
    public static final String RESULTS = "/api/persons/{personId}/results";
    public static final String RECENT_TESTS = "/api/persons/{personId}/recent-tests";
    public static final String OPENAPI = "/api/openapi.json";
    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";

    /** All are GET. */
    public static final List<String> ALL = List.of(SEARCH, PERSON, RESULTS, RECENT_TESTS, OPENAPI, HEALTH, METRICS);

    private Routes() {
    }

    /** How a route is named in the audit table and in metrics. */
    public static String endpoint(String route) {
        return "GET " + route;
    }
}
