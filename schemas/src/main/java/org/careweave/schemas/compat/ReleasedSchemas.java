package org.careweave.schemas.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * The released versions of each event's schema: {@code released/<full.Name>/v<N>.avsc}, N = 1, 2, ... without gaps,
 * kept in {@code schemas/src/main/resources/released/} and so also on the classpath.
 *
 * <p>A released version is a promise to consumers: the unit test {@code ReleasedSchemasCompatibilityTest} fails the
 * build when a current schema cannot read data written with any released version (BACKWARD_TRANSITIVE, the rule the
 * registry enforces too). Released files are never edited.
 *
 * <p>To release, after changing {@code events-v1.avdl}, run from the repository root:
 * <pre>
 * mvn -q -pl schemas compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.mainClass=org.careweave.schemas.compat.ReleasedSchemas -Dexec.args="all"
 * </pre>
 * ({@code -Dexec.args="PatientEvent ObservationEvent"} for some events only). For each event whose current schema
 * differs from its latest released version, it writes the next {@code v<N>.avsc}; it refuses (exit status 1, with
 * the reasons) a schema that is not BACKWARD_TRANSITIVE compatible with the released versions. Use
 * {@code --dir <released dir>} when not running from the repository root or the {@code schemas} directory.
 */
public final class ReleasedSchemas {

    public static final String ROOT = "released";
    public static final CompatibilityMode RULE = CompatibilityMode.BACKWARD_TRANSITIVE;

    /** Reads one file below the released root, e.g. {@code org.careweave.events.PatientEvent/v1.avsc}. */
    private final Function<String, Optional<String>> reader;

    private ReleasedSchemas(Function<String, Optional<String>> reader) {
        this.reader = reader;
    }

    /** The released versions packaged with this module. */
    public static ReleasedSchemas onClasspath() {
        ClassLoader loader = ReleasedSchemas.class.getClassLoader();
        return new ReleasedSchemas(relative -> {
            try (InputStream in = loader.getResourceAsStream(ROOT + "/" + relative)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The released versions in a source directory (the one the release command writes to). */
    public static ReleasedSchemas inDirectory(Path releasedRoot) {
        return new ReleasedSchemas(relative -> {
            Path file = releasedRoot.resolve(relative);
            try {
                return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The released versions of the named schema, oldest first (index 0 is v1); empty when never released. */
    public List<Schema> versions(String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            Optional<String> text = reader.apply(relativePath(fullName, version));
            if (text.isEmpty()) {
                return versions;
            }
            versions.add(new Schema.Parser().parse(text.get()));
        }
    }

    /** Where version {@code version} of {@code fullName} lives, relative to the released root. */
    public static String relativePath(String fullName, int version) {
        return fullName + "/v" + version + ".avsc";
    }

    /** Whether {@code current} may be released after the released versions of its name. */
    public CompatibilityResult check(Schema current) {
        return SchemaCompatibility.check(current, versions(current.getFullName()), RULE);
    }

    /** The release command: see the class comment. */
    public static void main(String[] args) throws IOException {
        SchemaRelease.Arguments arguments = SchemaRelease.Arguments.parse(args);
        int status = new SchemaRelease(arguments.releasedRoot(), System.out).release(arguments.events());
        if (status != 0) {
            System.exit(status);
        }
    }
}
