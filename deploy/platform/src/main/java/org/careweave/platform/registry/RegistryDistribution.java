package org.careweave.platform.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.careweave.platform.Directories;
import org.careweave.platform.PlatformStartupException;

/**
 * Finds the Apicurio Registry runner jar. The distribution is a Maven Central artifact (a tar.gz of a Quarkus app),
 * fetched into the local Maven repository by the build; it is unpacked once into a per-user cache.
 */
public final class RegistryDistribution {

    private RegistryDistribution() {
    }

    public static String version() {
        Properties build = new Properties();
        try (InputStream in = RegistryDistribution.class.getResourceAsStream("/org/careweave/platform/build.properties")) {
            build.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("careweave-platform is missing its build.properties", e);
        }
        return build.getProperty("apicurio.version");
    }

    /** The runner jar to start: from the given path if any, otherwise from the local Maven repository. */
    public static Path runnerJar(Optional<Path> configured) {
        Path source = configured.orElseGet(RegistryDistribution::localRepositoryArchive);
        if (Files.isRegularFile(source) && source.getFileName().toString().endsWith(".jar")) {
            return source;
        }
        if (Files.isDirectory(source)) {
            return findRunner(source);
        }
        if (Files.isRegularFile(source)) {
            return findRunner(unpackOnce(source));
        }
        throw new PlatformStartupException("Apicurio Registry distribution not found at " + source
                + ". Build the project once (mvn install) to fetch it, or set CAREWEAVE_REGISTRY_DISTRIBUTION"
                + " to its -all.tar.gz, unpacked directory or runner jar.");
    }

    static Path localRepositoryArchive() {
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        String v = version();
        return Path.of(repo, "io", "apicurio", "apicurio-registry-app", v,
                "apicurio-registry-app-" + v + "-all.tar.gz");
    }

    private static Path findRunner(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new PlatformStartupException("No *-runner.jar in registry distribution " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unpacks into ~/.cache/careweave once; a half-finished unpack is never used because it is moved into place last. */
    private static Path unpackOnce(Path archive) {
        String name = archive.getFileName().toString().replace(".tar.gz", "");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "careweave");
        Path target = cache.resolve(name);
        if (Files.isDirectory(target)) {
            return target;
        }
        try {
            Files.createDirectories(cache);
            Path staging = Files.createTempDirectory(cache, name + ".unpacking-");
            try (InputStream in = new BufferedInputStream(Files.newInputStream(archive));
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("Archive entry outside target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another process unpacked it at the same time; theirs is as good as ours.
                Directories.deleteRecursively(staging);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack registry distribution " + archive, e);
        }
    }
}
