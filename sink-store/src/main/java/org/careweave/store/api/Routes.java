package org.careweave.store.api;

import java.util.List;
import java.util.stream.Stream;

/** Every route the API serves; the OpenAPI document must describe each (OpenApiDocumentTest checks). */
public final class Routes {

    public static final String SEARCH = "/api/persons";
    public static final String PERSON = "/api/persons/{personId}";
    public static final String RESULTS = "/api/persons/{personId}/results";
    public static final String RECENT_TESTS = "/api/persons/{personId}/recent-tests";
    public static final String AUDIT = "/api/persons/{personId}/audit";
    public static final String SEPARATIONS = "/api/persons/{personId}/separations";
    public static final String LINKS = "/api/persons/{personId}/links";
    public static final String REVIEWS = "/api/reviews";
    public static final String REVIEW_DECISION = "/api/reviews/{pairId}/decision";
    public static final String OPENAPI = "/api/openapi.json";
    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";

    /** Served with GET. */
    public static final List<String> GETS = List.of(SEARCH, PERSON, RESULTS, RECENT_TESTS, AUDIT, REVIEWS, OPENAPI,
            HEALTH, METRICS);
    /** Served with POST: the routes that change something (each sends a decision for identity to apply). */
    public static final List<String> POSTS = List.of(REVIEW_DECISION, SEPARATIONS, LINKS);
    public static final List<String> ALL = Stream.concat(GETS.stream(), POSTS.stream()).toList();

    private Routes() {
    }

    public static String method(String route) {
        return POSTS.contains(route) ? "POST" : "GET";
    }

    /** How a route is named in the audit table and in metrics. */
    public static String endpoint(String route) {
        return method(route) + " " + route;
    }
}
