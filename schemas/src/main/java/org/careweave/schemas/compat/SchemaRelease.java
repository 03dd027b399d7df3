package org.careweave.schemas.compat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Writes the current schema of events as their next released version; the command behind {@link ReleasedSchemas#main}. */
final class SchemaRelease {

    private final Path releasedRoot;
    private final ReleasedSchemas released;
    private final PrintStream out;

    SchemaRelease(Path releasedRoot, PrintStream out) {
        this.releasedRoot = releasedRoot;
        this.released = ReleasedSchemas.inDirectory(releasedRoot);
        this.out = out;
    }

    /** Releases each schema that changed; 0 when all went well, 1 when one was refused. */
    int release(List<Schema> schemas) throws IOException {
        int status = 0;
        for (Schema current : schemas) {
            List<Schema> versions = released.versions(current.getFullName());
            if (!versions.isEmpty() && versions.get(versions.size() - 1).toString().equals(current.toString())) {
                out.println(current.getFullName() + ": unchanged since v" + versions.size());
                continue;
            }
            CompatibilityResult verdict = SchemaCompatibility.check(current, versions, ReleasedSchemas.RULE);
            if (!verdict.compatible()) {
                out.println("REFUSED " + verdict.explanation());
                status = 1;
                continue;
            }
            Path file = releasedRoot.resolve(ReleasedSchemas.relativePath(current.getFullName(), versions.size() + 1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n");
            out.println(current.getFullName() + ": released v" + (versions.size() + 1) + " -> " + file);
        }
        return status;
    }

    record Arguments(Path releasedRoot, List<Schema> events) {

        static Arguments parse(String[] args) {
            Path root = null;
            List<Schema> events = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dir" -> root = Path.of(args[++i]);
                    case "all" -> events.addAll(TopLevelEvents.schemas());
                    default -> {
                        String name = args[i];
                        events.add(TopLevelEvents.byName(name).orElseThrow(() -> new IllegalArgumentException(
                                "Not a top-level event: " + name + " (see TopLevelEvents)")));
                    }
                }
            }
            if (events.isEmpty()) {
                throw new IllegalArgumentException("Usage: ReleasedSchemas [--dir <released dir>] all | <EventName>...");
            }
            return new Arguments(root != null ? root : defaultRoot(), events);
        }

        /** Works from the repository root and from the schemas module (where exec:java may run). */
        private static Path defaultRoot() {
            for (String candidate : List.of("schemas/src/main/resources/released", "src/main/resources/released")) {
                Path path = Path.of(candidate);
                if (Files.isDirectory(path.getParent())) {
                    return path;
                }
            }
            throw new IllegalArgumentException("Cannot find src/main/resources: run from the repository root or the "
                    + "schemas module, or pass --dir <released dir>");
        }
    }
}
