package org.careweave.processors.secondary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.careweave.events.PersonView;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;

/**
 * One person's step of the secondary-use stream: given their current view (minimised), the opt-out status of their
 * NHS numbers and what was published for them before, what to send and what is published after; pure.
 */
final class SecondaryPublication {

    enum Target { PERSONS, RESULTS }

    /** One record to send; a null value is a tombstone. */
    record Emission(Target target, String key, SpecificRecord value) {
    }

    /** @param after what is published afterwards; null when nothing is */
    record Step(List<Emission> emissions, Published after) {
    }

    private SecondaryPublication() {
    }

    static Step next(PersonView candidate, NhsStatuses statuses, Published before, Pseudonymiser pseudonymiser) {
        return switch (Admission.of(candidate, statuses)) {
            case RETRACT -> new Step(retract(before), null);
            case HOLD -> new Step(List.of(), before);
            case PUBLISH -> publish(SecondaryRecords.of(candidate, pseudonymiser), before);
        };
    }

    /** Tombstones for the person and every result key ever published for them and not yet withdrawn. */
    private static List<Emission> retract(Published before) {
        if (before == null) {
            return List.of();
        }
        List<Emission> out = new ArrayList<>();
        for (String resultKey : before.results().keySet()) {
            out.add(new Emission(Target.RESULTS, resultKey, null));
        }
        out.add(new Emission(Target.PERSONS, before.pseudonym(), null));
        return out;
    }

    private static Step publish(SecondaryRecords records, Published before) {
        List<Emission> out = new ArrayList<>();
        String pseudonym = records.person().getPseudonym();
        if (before != null && !before.pseudonym().equals(pseudonym)) {
            // The key changed since: what was published under the old pseudonyms must not stay behind.
            out.addAll(retract(before));
            before = null;
        }
        String personFingerprint = fingerprint(records.person());
        if (before == null || !personFingerprint.equals(before.personFingerprint())) {
            out.add(new Emission(Target.PERSONS, pseudonym, records.person()));
        }
        Map<String, String> published = new TreeMap<>();
        for (SecondaryResult result : records.results()) {
            String fingerprint = fingerprint(result);
            published.put(result.getResultKey(), fingerprint);
            if (before == null || !fingerprint.equals(before.results().get(result.getResultKey()))) {
                out.add(new Emission(Target.RESULTS, result.getResultKey(), result));
            }
        }
        if (before != null) {
            for (String gone : before.results().keySet()) {
                if (!published.containsKey(gone)) {
                    out.add(new Emission(Target.RESULTS, gone, null));
                }
            }
        }
        return new Step(out, new Published(pseudonym, personFingerprint, published));
    }

    /**
     * What a record says, without its update time: a view changes with every encounter, and republishing the person
     * each time would both flood the topic and tell analysts when the person was seen.
     */
    static String fingerprint(SecondaryPerson person) {
        return digest(SecondaryPerson.newBuilder(person).setUpdatedAt(Instant.EPOCH).build().toString());
    }

    static String fingerprint(SecondaryResult result) {
        return digest(SecondaryResult.newBuilder(result).setUpdatedAt(Instant.EPOCH).build().toString());
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
