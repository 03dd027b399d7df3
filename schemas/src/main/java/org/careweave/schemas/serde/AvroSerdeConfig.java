package org.careweave.schemas.serde;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.careweave.schemas.registry.RegistryClientConfig;

/**
 * The serde's own settings, with Confluent's keys and defaults. The registry settings are in
 * {@link RegistryClientConfig}.
 *
 * <p>One departure from Confluent: {@code use.latest.version=true} turns {@code auto.register.schemas} off unless it is
 * set explicitly, and setting both to true is refused. Confluent silently ignores {@code use.latest.version} while
 * auto-registration is on, which surprises everyone once.
 *
 * @param autoRegisterSchemas register the record's schema under the subject when serializing (else only look it up)
 * @param useLatestVersion write every record with the subject's latest registered version, whatever its own schema
 * @param specificAvroReader deserialize into generated classes instead of {@code GenericRecord}
 */
public record AvroSerdeConfig(boolean autoRegisterSchemas, boolean useLatestVersion, boolean specificAvroReader) {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    public static AvroSerdeConfig fromConfigs(Map<String, ?> configs) {
        boolean useLatestVersion = bool(configs, USE_LATEST_VERSION, false);
        boolean autoRegister = bool(configs, AUTO_REGISTER_SCHEMAS, !useLatestVersion);
        if (useLatestVersion && autoRegister) {
            throw new ConfigException(USE_LATEST_VERSION + "=true writes with the subject's latest registered schema and "
                    + "cannot be combined with " + AUTO_REGISTER_SCHEMAS + "=true: set " + AUTO_REGISTER_SCHEMAS + "=false");
        }
        return new AvroSerdeConfig(autoRegister, useLatestVersion, bool(configs, SPECIFIC_AVRO_READER, false));
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(value).trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            case "" -> defaultValue;
            default -> throw new ConfigException(key, value, "must be true or false");
        };
    }
}
