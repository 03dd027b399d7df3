package org.careweave.processors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.results.LocalCodes;
import org.careweave.processors.results.RepeatTestRules;
import org.careweave.processors.results.ResultsConfig;
import org.careweave.processors.secondary.SecondaryConfig;
import org.careweave.schemas.topics.Topics;

/**
 * The stream processors' configuration (identity, results, views, secondary use).
 *
 * @param secondary the secondary-use stream's settings; empty: the stream is not run (see {@link #defaults()})
 * @param results   the test code mapping and retest rules, loaded
 * @param rocksDbMemoryBytes the memory all the processors' RocksDB stores share (block cache, index and filter
 *                           blocks, memtables)
 */
public record ProcessorsConfig(String applicationId, int commitIntervalMs, int viewsPublishDelayMs,
                               int maxRecordBytes, Optional<Path> identityModel,
                               Optional<SecondaryConfig> secondary, ResultsConfig results, long rocksDbMemoryBytes) {

    private static final long MIB = 1024L * 1024L;

    public static final Setting<String> APPLICATION_ID = Setting.text("processors.application.id",
            "careweave-processors", "Kafka Streams application id of the identity, results and views processors.");
    public static final Setting<Integer> COMMIT_INTERVAL_MS = Setting.integer("processors.commit.interval.ms", 100,
            "Exactly-once commit interval of the processors: lower means fresher views, more transactions.");
    public static final Setting<Integer> VIEWS_PUBLISH_DELAY_MS = Setting.integer("processors.views.publish.delay.ms",
            200, "How long a changed person's view waits before it is published, so that what one message changes by"
                    + " several paths (golden record, encounter, results) makes one view: adds up to this to the view's"
                    + " latency, saves view writes downstream (sink, secondary use).");
    public static final Setting<Integer> MAX_RECORD_BYTES = Setting.integer("processors.max.record.bytes",
            Topics.LARGE_RECORD_BYTES, "The largest record the processors write (their producer's max.request.size;"
                    + " at start their own topics' max.message.bytes are raised to it): a person's view and state grow"
                    + " with their results. person.views must take records this large too. A larger record stops the"
                    + " processors until this is raised; nothing is skipped (docs/operations.md). At least 1048576.");
    public static final Setting<Integer> ROCKSDB_MEMORY_MEGABYTES = Setting.integer(
            "processors.rocksdb.memory.megabytes", 512, "Memory outside the Java heap that all the processors' RocksDB"
                    + " state stores share: their block cache, index and filter blocks, and memtables (at most half of"
                    + " it). Bounded so that the process fits its container: make the container the heap plus this"
                    + " plus 0.5 to 1 GiB for the JVM's own native memory (docs/operations.md). At least 64.");
    public static final Setting<String> IDENTITY_MODEL = Setting.text("identity.model", "",
            "JSON file with the probabilistic matching model (comparisons, m/u, blocking, thresholds);"
                    + " empty: the model shipped with careweave.");

    public static final Setting<String> LOCAL_CODES = Setting.text("results.local.codes", "",
            "YAML file mapping each sender's local test codes, and national ones (SNOMED CT, Read), to LOINC"
                    + " (docs/results.md); empty: the invented examples shipped with careweave. Replace them before"
                    + " going live.");
    public static final Setting<String> RETEST_RULES = Setting.text("results.retest.rules", "",
            "YAML file of minimum retest intervals, for repeat-test alerts and the API's before-you-order check"
                    + " (docs/results.md); empty: the rules shipped with careweave. The api component reads it too.");

    public static List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>(List.of(APPLICATION_ID, COMMIT_INTERVAL_MS, VIEWS_PUBLISH_DELAY_MS,
                MAX_RECORD_BYTES, ROCKSDB_MEMORY_MEGABYTES, IDENTITY_MODEL, LOCAL_CODES, RETEST_RULES));
        all.addAll(SecondaryConfig.settings());
        return List.copyOf(all);
    }

    /**
     * As deployed: refuses to build without a pseudonym key (secondary.pseudonym.key) of 32 characters or more,
     * unless the secondary-use stream is switched off (secondary.enabled=false).
     */
    public static ProcessorsConfig from(SettingsSource source) {
        String model = source.get(IDENTITY_MODEL);
        Optional<Path> modelFile = model.isBlank() ? Optional.empty() : Optional.of(Path.of(model));
        modelFile.ifPresent(f -> {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(IDENTITY_MODEL.key() + ": no such file " + f);
            }
        });
        int maxRecordBytes = source.get(MAX_RECORD_BYTES);
        if (maxRecordBytes < 1024 * 1024) {
            throw new IllegalArgumentException(MAX_RECORD_BYTES.key() + ": " + maxRecordBytes
                    + " is below Kafka's own default of 1 MiB (1048576)");
        }
        int rocksDbMegabytes = source.get(ROCKSDB_MEMORY_MEGABYTES);
        if (rocksDbMegabytes < 64) {
            throw new IllegalArgumentException(ROCKSDB_MEMORY_MEGABYTES.key() + ": " + rocksDbMegabytes
                    + " MiB is too little for about 60 stores' index blocks and memtables; at least 64");
        }
        LocalCodes codes = file(source, LOCAL_CODES).map(f -> load(LOCAL_CODES, () -> LocalCodes.load(f)))
                .orElseGet(LocalCodes::defaults);
        return new ProcessorsConfig(source.get(APPLICATION_ID), source.get(COMMIT_INTERVAL_MS),
                source.get(VIEWS_PUBLISH_DELAY_MS), maxRecordBytes, modelFile,
                source.get(SecondaryConfig.ENABLED) ? Optional.of(SecondaryConfig.from(source)) : Optional.empty(),
                new ResultsConfig(codes, retestRules(source)), rocksDbMegabytes * MIB);
    }

    /**
     * The retest rules as configured: the processors' repeat-test alerts and the API's before-you-order check must
     * use the same, so both read them here.
     */
    public static RepeatTestRules retestRules(SettingsSource source) {
        return file(source, RETEST_RULES).map(f -> load(RETEST_RULES, () -> RepeatTestRules.load(f)))
                .orElseGet(RepeatTestRules::defaults);
    }

    private static Optional<Path> file(SettingsSource source, Setting<String> setting) {
        String name = source.get(setting);
        if (name.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(setting.key() + ": no such file " + file);
        }
        return Optional.of(file);
    }

    /** A file that does not load stops the start, named, rather than run with rules nobody chose. */
    private static <T> T load(Setting<String> setting, Supplier<T> loader) {
        try {
            return loader.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(setting.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The defaults without the secondary-use stream, which needs a secret key nobody can default: for tests and
     * tools that only need identity, results and views. Add it with {@link #withSecondary}.
     */
    public static ProcessorsConfig defaults() {
        SettingsSource none = SettingsSource.of(Map.of());
        return new ProcessorsConfig(none.get(APPLICATION_ID), none.get(COMMIT_INTERVAL_MS),
                none.get(VIEWS_PUBLISH_DELAY_MS), none.get(MAX_RECORD_BYTES), Optional.empty(), Optional.empty(),
                ResultsConfig.defaults(), none.get(ROCKSDB_MEMORY_MEGABYTES) * MIB);
    }

    public ProcessorsConfig withApplicationId(String id) {
        return new ProcessorsConfig(id, commitIntervalMs, viewsPublishDelayMs, maxRecordBytes, identityModel,
                secondary, results, rocksDbMemoryBytes);
    }

    /** With another limit on the records the processors write; tests use a small one to reach it cheaply. */
    public ProcessorsConfig withMaxRecordBytes(int bytes) {
        return new ProcessorsConfig(applicationId, commitIntervalMs, viewsPublishDelayMs, bytes, identityModel,
                secondary, results, rocksDbMemoryBytes);
    }

    /** Identity, results and views only: for a rebuild under another prefix, which has no pseudonymised stream. */
    public ProcessorsConfig withoutSecondary() {
        return new ProcessorsConfig(applicationId, commitIntervalMs, viewsPublishDelayMs, maxRecordBytes,
                identityModel, Optional.empty(), results, rocksDbMemoryBytes);
    }

    public ProcessorsConfig withSecondary(SecondaryConfig secondaryConfig) {
        return new ProcessorsConfig(applicationId, commitIntervalMs, viewsPublishDelayMs, maxRecordBytes,
                identityModel, Optional.of(secondaryConfig), results, rocksDbMemoryBytes);
    }
}
