package org.careweave.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaReleaseTest {

    @TempDir
    Path released;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void releasesChangedSchemasAsTheNextVersionAndRefusesIncompatibleOnes() throws IOException {
        SchemaRelease release = new SchemaRelease(released, out);
        Schema v1 = reading("{\"name\":\"a\",\"type\":\"int\"}");
        Schema v2 = reading("{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":[\"null\",\"string\"],"
                + "\"default\":null}");
        Schema broken = reading("{\"name\":\"a\",\"type\":\"string\"}");

        assertThat(release.release(List.of(v1))).isZero();
        assertThat(release.release(List.of(v1))).isZero();
        assertThat(release.release(List.of(v2))).isZero();
        assertThat(release.release(List.of(broken))).isEqualTo(1);

        assertThat(ReleasedSchemas.inDirectory(released).versions("test.Reading")).containsExactly(v1, v2);
        assertThat(Files.exists(released.resolve("test.Reading/v3.avsc"))).isFalse();
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("test.Reading: released v1")
                .contains("test.Reading: unchanged since v1")
                .contains("test.Reading: released v2")
                .contains("REFUSED").contains("Reading.a");
    }

    private static Schema reading(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"test\",\"fields\":["
                + fields + "]}");
    }
}
