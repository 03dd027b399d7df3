package org.careweave.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.careweave.platform.config.Setting;

/**
 * The settings a deployment file may set: every setting of the configuration reference ({@code careweave config}),
 * plus a few that a module declares but that have not joined the reference yet, because the command that reads them
 * is still being wired. Each of those is checked to be declared in the code with the default given here, so a
 * renamed or removed setting fails the tests instead of lingering in the deployment files.
 */
final class KnownSettings {

    /**
     * A setting declared in a module, not yet in the reference.
     *
     * @param declaredDefault the default as written in the declaration, e.g. {@code 8080}, {@code "127.0.0.1"},
     *                        {@code null}
     */
    record Pending(String key, String declaredDefault, String declaredIn) {

        String environmentVariable() {
            return Setting.text(key, null, declaredIn).environmentVariable();
        }

        /** The declaration, e.g. {@code Setting.port("api.port", 8080,}: the key, a comma, then the default. */
        Pattern declaration() {
            return Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*,\\s*" + Pattern.quote(declaredDefault)
                    + "\\s*,");
        }

        /** The default as a value: quotes removed, null for a required setting. */
        String defaultValue() {
            if (declaredDefault.equals("null")) {
                return null;
            }
            return declaredDefault.startsWith("\"") ? declaredDefault.substring(1, declaredDefault.length() - 1)
                    : declaredDefault;
        }
    }

    static final List<Pending> PENDING = List.of(
            new Pending("api.host", "\"127.0.0.1\"", "sink-store ApiConfig (careweave api)"),
            new Pending("api.port", "8080", "sink-store ApiConfig (careweave api)"),
            new Pending("api.tokens.file", "\"\"", "sink-store ApiConfig (careweave api)"),
            new Pending("api.admin.token.file", "\"\"", "sink-store ApiConfig (careweave api)"),
            new Pending("secondary.pseudonym.key", "null", "stream-processors SecondaryConfig (secondary use)"));

    private KnownSettings() {
    }

    static List<Setting<?>> reference() {
        return ConfigCommand.ConfigurationReference.all();
    }

    static boolean inReference(String key) {
        return reference().stream().anyMatch(s -> s.key().equals(key));
    }

    /** Pending settings that are still not in the reference. */
    static List<Pending> stillPending() {
        return PENDING.stream().filter(p -> !inReference(p.key())).toList();
    }

    /** Environment variable → key, for the reference and the pending settings. */
    static Map<String, String> keysByEnvironmentVariable() {
        Map<String, String> keys = new LinkedHashMap<>();
        reference().forEach(s -> keys.put(s.environmentVariable(), s.key()));
        stillPending().forEach(p -> keys.put(p.environmentVariable(), p.key()));
        return keys;
    }

    static Optional<String> defaultOf(String key) {
        for (Setting<?> s : reference()) {
            if (s.key().equals(key)) {
                return Optional.ofNullable(s.defaultValue());
            }
        }
        return stillPending().stream().filter(p -> p.key().equals(key)).findFirst()
                .map(Pending::defaultValue);
    }

    static int defaultPort(String key) {
        return Integer.parseInt(defaultOf(key).orElseThrow(() -> new AssertionError("no default for " + key)));
    }

    static String environmentVariable(String key) {
        return Setting.text(key, null, key).environmentVariable();
    }
}
