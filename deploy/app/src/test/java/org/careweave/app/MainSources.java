package org.careweave.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The main Java sources of every careweave module, read as text: for checks that the deployment files and
 * docs/operations.md name things the code really declares (metric names, settings), without depending on the
 * modules that declare them.
 */
final class MainSources {

    private static List<String> contents;

    private MainSources() {
    }

    static boolean contain(Pattern pattern) {
        return sources().stream().anyMatch(source -> pattern.matcher(source).find());
    }

    /** Whether some main source holds this exact string literal, e.g. a metric name. */
    static boolean containStringLiteral(String text) {
        String literal = "\"" + text + "\"";
        return sources().stream().anyMatch(source -> source.contains(literal));
    }

    private static synchronized List<String> sources() {
        if (contents == null) {
            List<String> all = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(DeploymentFiles.ROOT)) {
                walk.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> f.toString().contains("/src/main/java/"))
                        .filter(f -> !f.toString().contains("/target/"))
                        .forEach(f -> all.add(DeploymentFiles.read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            contents = List.copyOf(all);
        }
        return contents;
    }
}
