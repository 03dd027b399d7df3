package org.careweave.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** careweave's HTTP API read as a client app reads it, with a bearer token, waiting for the pipeline. */
record ApiReader(String baseUri, String token) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    ApiReader {
        baseUri = baseUri.replaceAll("/$", "");
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUri + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUri + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The first 200 answer whose JSON is {@code ready}, asked every 300 ms for up to 90 s. */
    JsonNode await(String path, Predicate<JsonNode> ready) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(path);
            if (response.statusCode() == 200) {
                last = JSON.readTree(response.body());
                if (ready.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("not ready in time: " + path + " last answer: " + last);
    }
}
