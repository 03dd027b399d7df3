package org.careweave.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to the registry, trying the next configured URL when one cannot be reached, and turns error
 * answers into the typed {@link SchemaRegistryException}s.
 *
 * <p>Only connection failures move on to the next URL: an HTTP answer, even a 5xx, is the registry's word and
 * another node of the same registry would say the same.
 */
final class RegistryHttp {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** Error bodies go into exception messages: keep them readable. */
    private static final int MAX_BODY_IN_MESSAGE = 1_000;
    private static final Logger log = LoggerFactory.getLogger(RegistryHttp.class);

    private final RegistryClientConfig config;
    private final HttpClient httpClient;
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<String> authorization;
    private final AtomicLong requestsSent = new AtomicLong();

    RegistryHttp(RegistryClientConfig config) {
        this.config = config;
        this.authorization = config.authorizationHeader();
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** What a request is for, so that failures say so: e.g. "registering schema a.B under subject 'x-value'". */
    record Operation(String description, String subject) {}

    JsonNode get(String path, Operation operation) {
        return send(path, null, operation);
    }

    JsonNode post(String path, JsonNode body, Operation operation) {
        return send(path, body, operation);
    }

    private JsonNode send(String path, JsonNode body, Operation operation) {
        IOException lastFailure = null;
        for (URI baseUrl : config.urls()) {
            HttpResponse<String> response;
            requestsSent.incrementAndGet();
            try {
                response = httpClient.send(request(baseUrl, path, body), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                log.warn("Schema registry {} not reachable while {}: {}", baseUrl, operation.description(), describe(e));
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while " + operation.description() + " at " + baseUrl,
                        SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
            }
            return answer(baseUrl, response, operation);
        }
        throw new RegistryUnreachableException("Schema registry unreachable at " + config.urls() + " while "
                + operation.description() + ": " + describe(lastFailure), config.urls(), lastFailure);
    }

    private HttpRequest request(URI baseUrl, String path, JsonNode body) throws JsonProcessingException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(config.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
    }

    private JsonNode answer(URI baseUrl, HttpResponse<String> response, Operation operation) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return json.readTree(response.body());
            } catch (JsonProcessingException e) {
                throw new SchemaRegistryException("Schema registry at " + baseUrl + " answered HTTP " + status
                        + " with a body that is not JSON while " + operation.description(), status, SchemaRegistryException.NONE,
                        e);
            }
        }
        throw RegistryErrors.toException(baseUrl, status, response.body(), operation);
    }

    long requestsSent() {
        return requestsSent.get();
    }

    static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_BODY_IN_MESSAGE ? text : text.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    private static String describe(IOException e) {
        if (e == null) {
            return "no URL tried";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        // java.net.http often throws a ConnectException with no message, caused by one with none either.
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause()) {
            message = t.getMessage();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
