package org.careweave.store.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.careweave.store.Json;

/**
 * An error as {@code application/problem+json} (RFC 9457). Details say what was wrong with the request in terms the
 * caller can act on; they never repeat patient data back beyond what the caller sent in the path.
 *
 * @param extensions further members, e.g. the survivor of a merge
 */
public record Problem(String type, String title, int status, String detail, Map<String, String> extensions) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:careweave:problem:";

    public Problem {
        Objects.requireNonNull(type);
        Objects.requireNonNull(title);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static Problem badRequest(String detail) {
        return of("bad-request", "Bad request", 400, detail);
    }

    public static Problem unauthorized(String detail) {
        return of("unauthorized", "Authentication required", 401, detail);
    }

    public static Problem forbidden(String detail) {
        return of("forbidden", "Not allowed for this role", 403, detail);
    }

    public static Problem notFound(String detail) {
        return of("not-found", "Not found", 404, detail);
    }

    public static Problem methodNotAllowed(String detail) {
        return of("method-not-allowed", "Method not allowed", 405, detail);
    }

    public static Problem unavailable(String detail) {
        return of("unavailable", "Service unavailable", 503, detail);
    }

    public static Problem internal() {
        return of("internal", "Internal error", 500, "The request could not be answered; the error is logged.");
    }

    /** A person merged into another: the answer is a redirect, and this body says to whom. */
    public static Problem merged(String personId, String survivorPersonId, String location, int status) {
        return new Problem(TYPE_PREFIX + "person-merged", "Person merged", status,
                "Person " + personId + " was merged into " + survivorPersonId + ".",
                Map.of("survivorPersonId", survivorPersonId, "location", location));
    }

    public static Problem of(String name, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + name, title, status, detail, Map.of());
    }

    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        new TreeMap<>(extensions).forEach(body::putIfAbsent);
        return Json.write(body);
    }
}
