package org.careweave.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;

/** Maps a registry error answer ({@code {"error_code": N, "message": "..."}}) to the exception that says what it means. */
final class RegistryErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryErrors() {}

    static SchemaRegistryException toException(URI baseUrl, int status, String body, RegistryHttp.Operation operation) {
        ErrorBody error = parse(body);
        String where = " (registry " + baseUrl + ", HTTP " + status
                + (error.code() == SchemaRegistryException.NONE ? "" : ", error_code " + error.code()) + ")";
        return switch (status) {
            case 409 -> new IncompatibleSchemaException("Incompatible schema: the registry refused "
                    + operation.description() + " because it breaks the compatibility rule of subject '"
                    + operation.subject() + "'" + where + ": " + error.message(), operation.subject(), error.message(),
                    error.code());
            case 404 -> new SchemaNotFoundException("Not found while " + operation.description() + where + ": "
                    + error.message(), error.code());
            case 422 -> new InvalidSchemaException("Invalid schema: the registry refused " + operation.description()
                    + where + ": " + error.message(), error.code());
            default -> new SchemaRegistryException("Schema registry error while " + operation.description() + where
                    + ": " + error.message(), status, error.code());
        };
    }

    private record ErrorBody(int code, String message) {}

    private static ErrorBody parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            if (node != null && node.isObject()) {
                int code = node.path("error_code").asInt(SchemaRegistryException.NONE);
                String message = node.path("message").asText("");
                return new ErrorBody(code, RegistryHttp.truncate(message.isEmpty() ? body : message));
            }
        } catch (IOException notJson) {
            // A proxy's HTML error page, say: show it as it came.
        }
        return new ErrorBody(SchemaRegistryException.NONE, RegistryHttp.truncate(body));
    }
}
