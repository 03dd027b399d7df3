package org.careweave.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.careweave.platform.database.EmbeddedDatabase;
import org.careweave.platform.kafka.EmbeddedKafka;
import org.careweave.platform.registry.EmbeddedRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka (in this JVM), Apicurio Registry (a child process) and PostgreSQL (zonky's binaries, a child process),
 * all listening on loopback, with all their data under one directory:
 * <pre>
 *   data-dir/kafka       Kafka log dirs and KRaft metadata
 *   data-dir/registry    the registry's H2 database (schema ids)
 *   data-dir/postgres    the PostgreSQL cluster
 *   data-dir/logs        the registry's output
 * </pre>
 * Starting again on the same directory keeps topics, offsets, schema ids and rows.
 */
public final class EmbeddedPlatform implements Platform {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final PlatformConfig config;
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final EmbeddedDatabase database;
    private final FileLock dataDirLock;

    private EmbeddedPlatform(PlatformConfig config, EmbeddedKafka kafka, EmbeddedRegistry registry,
                             EmbeddedDatabase database, FileLock dataDirLock) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.database = database;
        this.dataDirLock = dataDirLock;
    }

    /**
     * Starts all three, reporting each as it becomes ready. The registry starts first because it is slowest and
     * runs in its own process, so the other two start while it warms up.
     */
    public static EmbeddedPlatform start(PlatformConfig config, Consumer<String> progress) {
        Path dataDir = config.dataDir();
        FileLock lock = lockDataDir(dataDir);
        try {
            // Holding the lock proves that no careweave uses this data dir: a registry or PostgreSQL still running on
            // it was left by one that was killed (SIGKILL, out of memory), and would hold the ports.
            EmbeddedRegistry.stopOrphan(dataDir.resolve("registry"));
            EmbeddedDatabase.stopOrphan(dataDir.resolve("postgres"));
            checkPortsFree(config);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
        Deque<AutoCloseable> started = new ArrayDeque<>();
        CompletableFuture<EmbeddedRegistry> registry = null;
        try {
            registry = CompletableFuture.supplyAsync(() -> timed(progress,
                    "schema registry", () -> EmbeddedRegistry.start(dataDir.resolve("registry"),
                            dataDir.resolve("logs").resolve("registry.log"), config.host(), config.registryPort(),
                            config.registryDistribution(), config.registryCompatibility()),
                    EmbeddedRegistry::url));
            EmbeddedKafka kafka = timed(progress, "kafka", () -> EmbeddedKafka.start(dataDir.resolve("kafka"),
                    config.host(), config.kafkaPort(), config.kafkaControllerPort()), EmbeddedKafka::bootstrapServers);
            started.push(kafka);
            EmbeddedDatabase database = timed(progress, "postgresql", () -> EmbeddedDatabase.start(
                    dataDir.resolve("postgres"), config.host(), config.postgresPort()), EmbeddedDatabase::jdbcUrl);
            started.push(database);
            EmbeddedRegistry startedRegistry = join(registry);
            return new EmbeddedPlatform(config, kafka, startedRegistry, database, lock);
        } catch (RuntimeException e) {
            if (registry != null) {
                // Stop the registry process too, whether it is still starting or already up.
                registry.thenAccept(EmbeddedRegistry::close).exceptionally(ignored -> null).join();
            }
            closeAll(started);
            release(lock);
            throw e;
        }
    }

    /**
     * The registry's and PostgreSQL's server processes, which careweave starts again when they exit on their own
     * ({@link ChildSupervisor}).
     */
    public ProcessHandle registryProcess() {
        return ProcessHandle.of(registry.pid()).orElseThrow();
    }

    public ProcessHandle databaseProcess() {
        return ProcessHandle.of(database.pid()).orElseThrow();
    }

    /** How many times the registry and PostgreSQL were started again after exiting on their own. */
    public long childRestarts() {
        return registryRestarts() + databaseRestarts();
    }

    public long registryRestarts() {
        return registry.restarts();
    }

    public long databaseRestarts() {
        return database.restarts();
    }

    public PlatformConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return PlatformKind.EMBEDDED.label();
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String schemaRegistryUrl() {
        return registry.url();
    }

    @Override
    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    @Override
    public String jdbcUser() {
        return EmbeddedDatabase.USER;
    }

    @Override
    public String jdbcPassword() {
        return "";
    }

    /** Stops in the reverse order of dependence: the registry and database have no state in Kafka. */
    @Override
    public void close() {
        Deque<AutoCloseable> all = new ArrayDeque<>();
        all.push(kafka);
        all.push(database);
        all.push(registry);
        closeAll(all);
        release(dataDirLock);
    }

    private static <T> T timed(Consumer<String> progress, String component, Supplier<T> start,
                               java.util.function.Function<T, String> endpoint) {
        progress.accept(String.format("%-16s starting", component));
        long t0 = System.nanoTime();
        try {
            T started = start.get();
            progress.accept(String.format("%-16s ready in %.1f s at %s", component,
                    (System.nanoTime() - t0) / 1e9, endpoint.apply(started)));
            return started;
        } catch (PlatformStartupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PlatformStartupException(component + " did not start: " + rootMessage(e), e);
        }
    }

    private static EmbeddedRegistry join(CompletableFuture<EmbeddedRegistry> registry) {
        try {
            return registry.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void checkPortsFree(PlatformConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (" + PlatformConfig.KAFKA_PORT.environmentVariable() + ")", config.kafkaPort());
        ports.put("Kafka controller (" + PlatformConfig.KAFKA_CONTROLLER_PORT.environmentVariable() + ")",
                config.kafkaControllerPort());
        ports.put("schema registry (" + PlatformConfig.REGISTRY_PORT.environmentVariable() + ")",
                config.registryPort());
        ports.put("PostgreSQL (" + PlatformConfig.POSTGRES_PORT.environmentVariable() + ")", config.postgresPort());
        ports.forEach((name, port) -> {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(InetAddress.getByName(config.host()), port));
            } catch (IOException e) {
                throw new PlatformStartupException("Port " + config.host() + ":" + port + " for " + name
                        + " is already in use. Is another careweave running? Stop it, or choose another port.");
            }
        });
    }

    /**
     * The data dir holds patient data (Kafka's log segments, the processors' state, the database): it is made, or
     * restricted to, its owner only, before anything is written in it.
     */
    static FileLock lockDataDir(Path dataDir) {
        try {
            if (Directories.ownerOnly(dataDir)) {
                log.warn("Data dir {} could be opened by other users; restricted it to its owner (rwx------)",
                        dataDir);
            }
            FileChannel channel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new PlatformStartupException("Data dir " + dataDir + " is in use by another careweave process.");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new PlatformStartupException("Data dir " + dataDir + " is already in use in this process.");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use data dir " + dataDir, e);
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            // The lock dies with the channel anyway.
        }
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        RuntimeException first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
