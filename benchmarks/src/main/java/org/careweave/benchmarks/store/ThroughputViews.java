package org.careweave.benchmarks.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.careweave.events.Address;
import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.events.RawMessageRef;
import org.careweave.events.ResultSource;
import org.careweave.events.StatedTime;

/**
 * A seeded stream of person.views records shaped like the processors' output: each record is the person's whole view
 * at a new version (2–3 identifiers, 0–3 encounters, a result list that grows with the person's versions, 0–40
 * results), with about 2% merges (the survivor's view listing the merged id, then the merged person's tombstone),
 * about 1% removals and about 2% re-delivered older views. Invented people only: NHS numbers in the never-issued 999
 * range, made-up names and places.
 */
final class ThroughputViews {

    /** One record: a view, or a tombstone when {@code view} is null. */
    record Record(String key, PersonView view) {
    }

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String[] LOINC = {"4548-4", "2823-3", "2951-2", "2160-0", "718-7", "6690-2", "777-3"};
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    private final Random random;
    private final int persons;
    private final long[] versions;
    private final int[] resultCounts;
    private final List<Set<String>> merged;
    private final boolean[] gone;
    private final List<PersonView> lastViews;

    private ThroughputViews(long seed, int persons) {
        this.random = new Random(seed);
        this.persons = persons;
        this.versions = new long[persons];
        this.resultCounts = new int[persons];
        this.merged = new ArrayList<>();
        this.gone = new boolean[persons];
        this.lastViews = new ArrayList<>();
        for (int i = 0; i < persons; i++) {
            merged.add(new LinkedHashSet<>());
            lastViews.add(null);
        }
    }

    static List<Record> generate(long seed, int persons, int size) {
        ThroughputViews w = new ThroughputViews(seed, persons);
        List<Record> out = new ArrayList<>(size + 2);
        while (out.size() < size) {
            w.step(out);
        }
        return out.subList(0, size);
    }

    private void step(List<Record> out) {
        int dice = random.nextInt(100);
        int p = random.nextInt(persons);
        if (gone[p]) {
            return;
        }
        if (dice < 2) {
            int other = random.nextInt(persons);
            if (other == p || gone[other]) {
                return;
            }
            merged.get(p).add(id(other));
            merged.get(p).addAll(merged.get(other));
            gone[other] = true;
            out.add(new Record(id(p), next(p)));
            out.add(new Record(id(other), null));
        } else if (dice < 3) {
            gone[p] = true;
            out.add(new Record(id(p), null));
        } else if (dice < 5 && lastViews.get(p) != null) {
            out.add(new Record(id(p), lastViews.get(p)));
        } else {
            out.add(new Record(id(p), next(p)));
        }
    }

    private static String id(int p) {
        return "P" + p;
    }

    private PersonView next(int p) {
        long version = ++versions[p];
        // Results accumulate over a person's life: a new view usually adds a result or two, up to 40.
        resultCounts[p] = Math.min(40, resultCounts[p] + (versions[p] == 1 ? random.nextInt(8) : random.nextInt(3)));
        String id = id(p);
        List<Identifier> identifiers = new ArrayList<>();
        identifiers.add(Identifier.newBuilder().setSystem(NHS).setValue(nhs(p)).setType("NH").build());
        identifiers.add(Identifier.newBuilder().setSystem("RXX01").setValue("MRN" + p).setType("MR").build());
        if (p % 3 == 0) {
            identifiers.add(Identifier.newBuilder().setSystem("RYY02").setValue("H" + p).setType("MR").build());
        }
        List<EncounterView> encounters = new ArrayList<>();
        for (int e = 0; e < p % 4; e++) {
            Instant admitted = BASE.plusSeconds(86_400L * (p % 300) + 3600L * e);
            encounters.add(EncounterView.newBuilder()
                    .setVisit(Identifier.newBuilder().setSystem("RXX01").setValue("V" + p + "-" + e).build())
                    .setPatientClass(e % 2 == 0 ? "I" : "O").setAdmittedAt(admitted)
                    .setDischargedAt(e == 0 ? null : admitted.plusSeconds(7200)).setLocation("Ward " + (e + 1))
                    .setStatus(e == 0 ? "in-progress" : "finished").setSendingFacility("RXX01").build());
        }
        List<DeduplicatedResult> results = new ArrayList<>();
        for (int r = 0; r < resultCounts[p]; r++) {
            results.add(result(id, r));
        }
        PersonView view = PersonView.newBuilder()
                .setPersonId(id)
                .setVersion(version)
                .setIdentifiers(identifiers)
                .setNhsNumber(nhs(p))
                .setName(HumanName.newBuilder().setFamily("Family" + (p % 997)).setGiven(List.of("Given" + (p % 89)))
                        .build())
                .setBirthDate(LocalDate.of(1940, 1, 1).plusDays(p % 25_000))
                .setSex(p % 2 == 0 ? "F" : "M")
                .setAddress(Address.newBuilder().setLines(List.of(p % 200 + " Example Street")).setCity("Exampleton")
                        .setPostcode("ZZ9 " + (p % 9) + "ZZ").build())
                .setEncounters(encounters)
                .setResults(results)
                .setMergedPersonIds(List.copyOf(merged.get(p)))
                .setUpdatedAt(BASE.plusSeconds(version * 60 + p))
                .build();
        lastViews.set(p, view);
        return view;
    }

    private static DeduplicatedResult result(String personId, int r) {
        String loinc = LOINC[r % LOINC.length];
        double value = 20 + (personId.hashCode() + r * 7) % 60;
        Instant collected = BASE.plusSeconds(86_400L * r + Math.abs(personId.hashCode() % 86_400));
        String control = personId + "-" + r;
        return DeduplicatedResult.newBuilder()
                .setResultId(personId + "-R" + r)
                .setPersonId(personId)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode(loinc).setDisplay("Test " + loinc)
                        .build())
                .setSourceCode(Coding.newBuilder().setSystem("RXX01-LAB").setCode("L" + loinc).build())
                .setValueType("NM")
                .setValue(Double.toString(value))
                .setNumericValue(value)
                .setUnits("mmol/L")
                .setReferenceRange("20-42")
                .setAbnormalFlags(value > 42 ? List.of("H") : List.of())
                .setStatus("F")
                .setCollectedAt(StatedTime.newBuilder().setInstant(collected).setOffsetSeconds(0).build())
                .setSources(List.of(source("RXX01", "C" + control), source("RZZ03", "G" + control)).subList(0,
                        1 + r % 2))
                .setUpdatedAt(collected.plusSeconds(3600))
                .build();
    }

    private static ResultSource source(String facility, String control) {
        return ResultSource.newBuilder().setSendingFacility(facility).setControlId(control)
                .setFillerOrderNumber("F" + control).setReceivedAt(BASE)
                .setRaw(RawMessageRef.newBuilder().setMessageId("m-" + control).setTopic("bench.hl7.raw")
                        .setPartition(0).setOffset(1L).build())
                .build();
    }

    /** A 999-range number (never issued) with a valid Modulus 11 check digit. */
    private static String nhs(int p) {
        for (int n = p; ; n++) {
            String body = String.format("999%06d", n % 1_000_000);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (body.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return body + check;
            }
        }
    }
}
