package org.careweave.processors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/** The stream processors' configuration (identity, results, views). */
public record ProcessorsConfig(String applicationId, int commitIntervalMs, Optional<Path> identityModel) {

    public static final Setting<String> APPLICATION_ID = Setting.text("processors.application.id",
            "careweave-processors", "Kafka Streams application id of the identity, results and views processors.");
    public static final Setting<Integer> COMMIT_INTERVAL_MS = Setting.integer("processors.commit.interval.ms", 100,
            "Exactly-once commit interval of the processors: lower means fresher views, more transactions.");
    public static final Setting<String> IDENTITY_MODEL = Setting.text("identity.model", "",
            "JSON file with the probabilistic matching model (comparisons, m/u, blocking, thresholds);"
                    + " empty: the model shipped with careweave.");

    public static List<Setting<?>> settings() {
        return List.of(APPLICATION_ID, COMMIT_INTERVAL_MS, IDENTITY_MODEL);
    }

    public static ProcessorsConfig from(SettingsSource source) {
        String model = source.get(IDENTITY_MODEL);
        Optional<Path> modelFile = model.isBlank() ? Optional.empty() : Optional.of(Path.of(model));
        modelFile.ifPresent(f -> {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(IDENTITY_MODEL.key() + ": no such file " + f);
            }
        });
        return new ProcessorsConfig(source.get(APPLICATION_ID), source.get(COMMIT_INTERVAL_MS), modelFile);
    }

    public static ProcessorsConfig defaults() {
        return from(SettingsSource.of(Map.of()));
    }

    public ProcessorsConfig withApplicationId(String id) {
        return new ProcessorsConfig(id, commitIntervalMs, identityModel);
    }
}
