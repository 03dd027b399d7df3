package org.careweave.processors.secondary;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns identifiers into pseudonyms and reduces quasi-identifiers; pure and thread-safe.
 *
 * <p>A pseudonym is HMAC-SHA256 under a secret key, not a plain hash: person ids are structured, so anyone could hash
 * every candidate id and look the pseudonyms up; without the key they cannot. The same key always gives the same
 * pseudonym, so analysts can follow a person over time. Persons and results are hashed in separate domains so that a
 * person id and a result id that happened to be equal would still not share a pseudonym.
 */
public final class Pseudonymiser {

    private static final String ALGORITHM = "HmacSHA256";
    private static final char SEP = '\u001f';
    /** UK postcode: outward code (area, district, optional sub-district letter) then inward code (sector, unit). */
    private static final Pattern UK_POSTCODE = Pattern.compile("^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})?$");

    private final SecretKeySpec key;
    private final BirthPrecision birthPrecision;

    public Pseudonymiser(PseudonymKey key, BirthPrecision birthPrecision) {
        this.key = new SecretKeySpec(key.bytes(), ALGORITHM);
        this.birthPrecision = birthPrecision;
        mac(); // fail at startup, not on the first record, if the JVM lacks the algorithm
    }

    public static Pseudonymiser of(SecondaryConfig config) {
        return new Pseudonymiser(config.key(), config.birthPrecision());
    }

    /** The person's pseudonym: 64 hex digits. */
    public String person(String personId) {
        return hmac("person", personId);
    }

    /** The pseudonymised key of a result: 64 hex digits. */
    public String result(String resultId) {
        return hmac("result", resultId);
    }

    /** YYYY or YYYY-MM, as configured; null stays null. */
    public String birthPeriod(LocalDate birthDate) {
        return birthDate == null ? null : birthPrecision.reduce(birthDate);
    }

    /**
     * The postcode district (outward code): "LS1 4AB" → "LS1". Null when the text is not a UK postcode, so that a
     * foreign or malformed postcode, which might be identifying in full, is dropped rather than passed on.
     */
    public static String postcodeDistrict(String postcode) {
        if (postcode == null) {
            return null;
        }
        String compact = postcode.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        Matcher m = UK_POSTCODE.matcher(compact);
        return m.matches() ? m.group(1) : null;
    }

    /**
     * Differs between any two keys or birth precisions, and gives neither away: what a store may keep to notice that
     * the settings changed since it last wrote.
     */
    public byte[] settingsFingerprint() {
        return mac().doFinal(("settings" + SEP + birthPrecision.name()).getBytes(StandardCharsets.UTF_8));
    }

    private String hmac(String domain, String value) {
        Mac mac = mac();
        byte[] digest = mac.doFinal((domain + SEP + value).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    /** A fresh Mac per call: Mac is not thread-safe and Kafka Streams may run several threads. */
    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    @Override
    public String toString() {
        return "Pseudonymiser[" + birthPrecision + "]";
    }
}
