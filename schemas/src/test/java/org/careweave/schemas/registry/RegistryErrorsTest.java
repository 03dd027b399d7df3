package org.careweave.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RegistryErrorsTest {

    private static final URI REGISTRY = URI.create("http://127.0.0.1:8081/apis/ccompat/v7");
    private static final RegistryHttp.Operation REGISTER =
            new RegistryHttp.Operation("registering schema org.careweave.events.PatientEvent under subject 'p-value'",
                    "p-value");

    @Test
    void http409IsIncompatibleWhateverTheErrorCode() {
        // Apicurio answers 409 with error_code 409; Confluent with 40901.
        SchemaRegistryException apicurio = RegistryErrors.toException(REGISTRY, 409,
                "{\"error_code\":409,\"message\":\"Incompatible artifact: p-value [AVRO]\"}", REGISTER);
        SchemaRegistryException confluent = RegistryErrors.toException(REGISTRY, 409,
                "{\"error_code\":40901,\"message\":\"Schema being registered is incompatible\"}", REGISTER);

        assertThat(apicurio).isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("Incompatible")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("'p-value'")
                .hasMessageContaining("Incompatible artifact: p-value [AVRO]");
        assertThat(((IncompatibleSchemaException) apicurio).subject()).isEqualTo("p-value");
        assertThat(confluent).isInstanceOf(IncompatibleSchemaException.class);
        assertThat(confluent.errorCode()).isEqualTo(40901);
    }

    @Test
    void http404IsNotFoundWithTheConfluentErrorCode() {
        SchemaRegistryException e = RegistryErrors.toException(REGISTRY, 404,
                "{\"error_code\":40401,\"message\":\"Subject 'p-value' not found.\"}", REGISTER);

        assertThat(e).isInstanceOf(SchemaNotFoundException.class).hasMessageContaining("40401");
        assertThat(((SchemaNotFoundException) e).isUnknownSubject()).isTrue();
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void http422IsInvalidSchema() {
        SchemaRegistryException e = RegistryErrors.toException(REGISTRY, 422,
                "{\"error_code\":42201,\"message\":\"Invalid schema\"}", REGISTER);

        assertThat(e).isInstanceOf(InvalidSchemaException.class).hasMessageContaining("42201");
    }

    @Test
    void otherAnswersKeepStatusAndBodyEvenWhenNotJson() {
        SchemaRegistryException e = RegistryErrors.toException(REGISTRY, 502, "<html>Bad Gateway</html>", REGISTER);

        assertThat(e.getClass()).isEqualTo(SchemaRegistryException.class);
        assertThat(e.httpStatus()).isEqualTo(502);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NONE);
        assertThat(e).hasMessageContaining("HTTP 502").hasMessageContaining("<html>Bad Gateway</html>")
                .hasMessageContaining(REGISTRY.toString());
    }
}
