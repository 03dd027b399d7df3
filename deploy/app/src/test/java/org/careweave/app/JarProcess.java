package org.careweave.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The careweave jar started as a container starts it: nothing inherited but the path to java, only CAREWEAVE_*. */
final class JarProcess {

    /** The shaded jar; failsafe runs after package. */
    static final Path JAR = Path.of("target", "careweave.jar").toAbsolutePath();

    private JarProcess() {
    }

    /** {@code java -jar careweave.jar SUBCOMMAND} in {@code workDir}, its output and errors into {@code output}. */
    static Process start(String subcommand, Map<String, String> env, Path workDir, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), subcommand)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
