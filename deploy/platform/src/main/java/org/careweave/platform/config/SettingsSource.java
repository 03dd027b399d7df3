package org.careweave.platform.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads settings from, in order of precedence: explicit values (command-line options), system properties
 * ({@code careweave.<key>}), environment variables ({@code CAREWEAVE_<KEY>}), then the setting's default.
 */
public final class SettingsSource {

    private final Map<String, String> explicit;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;

    private SettingsSource(Map<String, String> explicit, Map<String, String> systemProperties,
                           Map<String, String> environment) {
        this.explicit = Map.copyOf(explicit);
        this.systemProperties = Map.copyOf(systemProperties);
        this.environment = Map.copyOf(environment);
    }

    public static SettingsSource fromProcess() {
        return fromProcess(Map.of());
    }

    public static SettingsSource fromProcess(Map<String, String> explicit) {
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        return new SettingsSource(explicit, props, System.getenv());
    }

    public static SettingsSource of(Map<String, String> explicit) {
        return new SettingsSource(explicit, Map.of(), Map.of());
    }

    public SettingsSource with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(explicit);
        merged.putAll(overrides);
        return new SettingsSource(merged, systemProperties, environment);
    }

    public boolean isSet(Setting<?> setting) {
        return raw(setting) != null;
    }

    public <T> T get(Setting<T> setting) {
        String raw = raw(setting);
        if (raw == null) {
            raw = setting.defaultValue();
        }
        if (raw == null) {
            throw new IllegalArgumentException("Missing setting " + setting.key() + " (environment variable "
                    + setting.environmentVariable() + "): " + setting.description());
        }
        try {
            return setting.parser().apply(raw);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid value '" + raw + "' for setting " + setting.key()
                    + " (" + setting.environmentVariable() + "): " + e.getMessage(), e);
        }
    }

    private String raw(Setting<?> setting) {
        String value = explicit.get(setting.key());
        if (value == null) {
            value = systemProperties.get(setting.systemProperty());
        }
        if (value == null) {
            value = environment.get(setting.environmentVariable());
        }
        return value == null || value.isBlank() ? null : value;
    }
}
