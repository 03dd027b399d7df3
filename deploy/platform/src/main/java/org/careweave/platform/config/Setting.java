package org.careweave.platform.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name, the environment variable that sets it, its default and what it means.
 * Declared once; the configuration reference and validation both come from these declarations.
 *
 * @param key          dotted name, e.g. {@code kafka.port}; as a system property it is prefixed with {@code careweave.}
 * @param defaultValue the value used when nothing sets it; null means "required when used"
 */
public record Setting<T>(String key, String description, String defaultValue, Function<String, T> parser) {

    public Setting {
        Objects.requireNonNull(key);
        Objects.requireNonNull(description);
        Objects.requireNonNull(parser);
    }

    public static Setting<String> text(String key, String defaultValue, String description) {
        return new Setting<>(key, description, defaultValue, Function.identity());
    }

    public static Setting<Integer> port(String key, int defaultValue, String description) {
        return new Setting<>(key, description, Integer.toString(defaultValue), Setting::parsePort);
    }

    public static Setting<Integer> integer(String key, int defaultValue, String description) {
        return new Setting<>(key, description, Integer.toString(defaultValue), Integer::valueOf);
    }

    public static Setting<Boolean> flag(String key, boolean defaultValue, String description) {
        return new Setting<>(key, description, Boolean.toString(defaultValue), Boolean::valueOf);
    }

    /** CAREWEAVE_ followed by the key in upper case with dots and dashes as underscores. */
    public String environmentVariable() {
        return "CAREWEAVE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String systemProperty() {
        return "careweave." + key;
    }

    private static int parsePort(String text) {
        int port = Integer.parseInt(text.trim());
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a TCP port: " + text);
        }
        return port;
    }
}
