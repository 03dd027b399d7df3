package org.careweave.deadletters;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.careweave.events.RejectionStage;

/**
 * Which dead letters a command works on. Every criterion given must hold; an empty set or an absent time does not
 * narrow. Times are the record's time on the topic: when the message reached careweave (refused at ingest), or when
 * it was received (refused later, by mapping).
 *
 * @param since      written at or after
 * @param until      written before
 * @param facilities MSH-4 sending facilities
 * @param stages     where the message was refused
 * @param positions  exactly these records
 */
public record DeadLetterSelection(Optional<Instant> since, Optional<Instant> until, Set<String> facilities,
                                  Set<RejectionStage> stages, SortedSet<DeadLetter.Position> positions) {

    public DeadLetterSelection {
        facilities = Set.copyOf(facilities);
        stages = Set.copyOf(stages);
        positions = new TreeSet<>(positions);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("--since must be before --until");
        }
    }

    public static DeadLetterSelection all() {
        return new DeadLetterSelection(Optional.empty(), Optional.empty(), Set.of(), Set.of(), new TreeSet<>());
    }

    public boolean matches(DeadLetter letter) {
        return (positions.isEmpty() || positions.contains(letter.position()))
                && since.map(s -> !letter.writtenAt().isBefore(s)).orElse(true)
                && until.map(u -> letter.writtenAt().isBefore(u)).orElse(true)
                && (facilities.isEmpty() || letter.message().getSendingFacility() != null
                        && facilities.contains(letter.message().getSendingFacility()))
                && (stages.isEmpty() || stages.contains(letter.message().getStage()));
    }

    /** Whether a partition can hold a selected record at all (positions name their partitions). */
    boolean reads(int partition) {
        return positions.isEmpty() || positions.stream().anyMatch(p -> p.partition() == partition);
    }

    /** The first offset of a partition worth reading when positions are named, else empty. */
    Optional<Long> firstNamedOffset(int partition) {
        return positions.stream().filter(p -> p.partition() == partition).map(DeadLetter.Position::offset).findFirst();
    }

    /** The offset after the last named position of a partition, else empty. */
    Optional<Long> afterLastNamedOffset(int partition) {
        return positions.stream().filter(p -> p.partition() == partition).map(p -> p.offset() + 1)
                .reduce((a, b) -> b);
    }

    /**
     * A time as the commands take it: an ISO date (midnight UTC), an instant ({@code 2026-11-28T09:00:00Z}), or a time
     * ago in hours or days ({@code 36h}, {@code 7d}).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Instant time(String text, Instant now) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d{1,5}[hd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return now.minus(t.endsWith("h") ? Duration.ofHours(n) : Duration.ofDays(n));
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a time is an ISO date (2026-11-28), an instant"
                    + " (2026-11-28T09:00:00Z) or hours or days ago (36h, 7d), not " + text);
        }
    }
}
