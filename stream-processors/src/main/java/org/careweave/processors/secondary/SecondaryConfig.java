package org.careweave.processors.secondary;

import java.util.List;
import java.util.Objects;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/** The secondary-use stream's configuration: the pseudonym key and how much of a birth date is kept. */
public record SecondaryConfig(PseudonymKey key, BirthPrecision birthPrecision) {

    public static final Setting<Boolean> ENABLED = Setting.flag("secondary.enabled", true,
            "Run the secondary-use stream (pseudonymised topics without opted-out people) and the analyst tables the"
                    + " sink fills from it. false: a deployment that serves no analysts saves its share of the"
                    + " processors' work (docs/benchmarks.md, Where the time goes); no pseudonym key is needed then.");
    public static final Setting<String> PSEUDONYM_KEY = Setting.text("secondary.pseudonym.key", null,
            "Secret key (at least 32 characters) of the HMAC that turns person and result ids into pseudonyms on"
                    + " the secondary-use topics. Changing it changes every pseudonym. Embedded (careweave up)"
                    + " one is generated into <data dir>/pseudonym.key when unset.");
    public static final Setting<BirthPrecision> BIRTH_PRECISION = new Setting<>("secondary.birth.precision",
            "How much of the birth date the secondary-use stream keeps: year (YYYY) or month (YYYY-MM).", "year",
            BirthPrecision::parse);

    public SecondaryConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(birthPrecision, "birthPrecision");
    }

    public static List<Setting<?>> settings() {
        return List.of(ENABLED, PSEUDONYM_KEY, BIRTH_PRECISION);
    }

    /** Refuses to build without a key of at least {@value PseudonymKey#MIN_LENGTH} characters. */
    public static SecondaryConfig from(SettingsSource source) {
        if (!source.isSet(PSEUDONYM_KEY)) {
            throw new IllegalArgumentException("Missing setting " + PSEUDONYM_KEY.key() + " (environment variable "
                    + PSEUDONYM_KEY.environmentVariable() + "): the secret key of the secondary-use pseudonyms");
        }
        // Read directly rather than through a validating parser: a parse error would quote the secret.
        return new SecondaryConfig(PseudonymKey.of(source.get(PSEUDONYM_KEY)), source.get(BIRTH_PRECISION));
    }
}
