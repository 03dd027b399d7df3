package org.careweave.processors;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.avro.specific.SpecificRecord;
import org.careweave.events.Address;
import org.careweave.events.Coding;
import org.careweave.events.EncounterEvent;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.Merge;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;
import org.careweave.events.PatientEventKind;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.events.StatedTime;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.Topics;

/**
 * A seeded, deterministic workload for the stream processors' inputs (patient.events, observation.events,
 * encounter.events) about invented people: NHS numbers in the 999 range (valid by Modulus 11, never issued), made-up
 * names, dates and addresses.
 *
 * <p>Each person follows a story (see {@link Kind}): several hospitals and a GP linked by NHS number, a GP record
 * without NHS number linked by demographics, a GP record pulled in later when a hospital record brings the
 * demographics, a duplicate hospital record merged by an A40, an update stating another NHS number. Lab reports come
 * as single final versions, as P then F then C, and as copies of the same result from a second organisation; some
 * persons have a repeat HbA1c within 90 days. Each person's messages keep their story's order; persons are
 * interleaved at random (seeded).
 *
 * <p>The stories are chosen so that the final outputs do not depend on how the processors' inputs interleave (which
 * varies with timing even without restarts): a repeat-test pair is only given to a person that is never moved, and
 * its earlier test is sent first from the record that is registered first; no test that raises alerts is versioned
 * or copied.
 */
final class RestartWorkload {

    static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    static final String LOINC = "http://loinc.org";
    static final String HOSPITAL_A = "RHMX1";
    static final String HOSPITAL_B = "RAE01";
    static final String GP = "B86001";
    private static final Instant T0 = Instant.parse("2026-02-02T08:00:00Z");

    /** One record for one input topic, with its key and timestamp. */
    record Input(Topic<?> topic, String key, SpecificRecord value, long timestamp) {
    }

    enum Kind {
        /** Hospital A, hospital B and a GP, all with the NHS number; a repeat HbA1c within 90 days. */
        NHS_EVERYWHERE,
        /** Hospital A with the NHS number; a GP without it, same demographics (before or after the hospital). */
        GP_BY_DEMOGRAPHICS,
        /**
         * Hospital B with the NHS number and a name only; a GP without it and its own person; then hospital A with
         * the NHS number and full demographics, which pulls the GP's person in (a merge of persons with results).
         */
        GP_PULLED_IN,
        /** Hospital A with the NHS number and a duplicate record without; an A40 merges the duplicate in. */
        DUPLICATE_MERGED,
        /** Hospital A only, and an update that states another NHS number (the record follows it; reviews). */
        SINGLE
    }

    private static final String[] GIVEN = {"Aisha", "Ben", "Chloe", "Dev", "Erin", "Farid", "Gemma", "Hugo",
        "Isla", "Jonah", "Kiran", "Lola", "Milo", "Nadia", "Owen", "Poppy", "Quinn", "Rosa", "Sami", "Tilly"};
    private static final String[] FAMILY = {"Testbrook", "Testcombe", "Testdale", "Testfield", "Testford",
        "Testgate", "Testham", "Testhill", "Testley", "Testmoor", "Testridge", "Teststead", "Testwell", "Testwood",
        "Sampleby", "Samplecott", "Sampleton", "Examplethorpe", "Exampleworth", "Fictionson", "Inventley",
        "Madeupton", "Notrealby", "Pretendham"};
    private static final String[] STREETS = {"Acre Lane", "Birch Road", "Canal Street", "Dene Close", "Elm Grove",
        "Fold Court", "Gill Avenue", "Holly Drive", "Ing Way", "Jubilee Terrace"};
    /** Tests that raise no repeat-test alerts: code, units, low, high, decimals. */
    private static final Object[][] PANEL = {
        {"2345-7", "mmol/L", 3.5, 9.0, 1}, {"718-7", "g/L", 110.0, 170.0, 0}, {"2951-2", "mmol/L", 130.0, 148.0, 0},
        {"2823-3", "mmol/L", 3.2, 5.6, 1}, {"2160-0", "umol/L", 50.0, 130.0, 0}, {"6690-2", "10*9/L", 3.5, 11.0, 1},
        {"1742-6", "U/L", 10.0, 60.0, 0}, {"1975-2", "umol/L", 4.0, 25.0, 0}};
    private static final String HBA1C = "4548-4";

    private final SplittableRandom random;
    private int messages;

    private RestartWorkload(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Every input in the order to produce it. */
    static List<Input> generate(long seed, int persons) {
        return new RestartWorkload(seed).generate(persons);
    }

    private List<Input> generate(int persons) {
        List<List<Step>> stories = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < persons; i++) {
            stories.add(story(i, kinds[i % kinds.length]));
        }
        // Interleave the stories at random, each in its own order.
        List<Input> out = new ArrayList<>();
        int[] next = new int[persons];
        int remaining = stories.stream().mapToInt(List::size).sum();
        long tick = 0;
        while (remaining > 0) {
            int pick = random.nextInt(remaining);
            int person = 0;
            while (pick >= stories.get(person).size() - next[person]) {
                pick -= stories.get(person).size() - next[person];
                person++;
            }
            Step step = stories.get(person).get(next[person]++);
            remaining--;
            Instant at = T0.plus(Duration.ofSeconds(30 * tick++));
            out.addAll(step.inputs(this, at));
        }
        return out;
    }

    private interface Step {
        List<Input> inputs(RestartWorkload workload, Instant receivedAt);
    }

    /** A person: invented demographics. */
    private record Person(int index, String nhs, String given, String family, LocalDate born, String sex,
                          String addressLine, String postcode) {
    }

    private Person person(int i) {
        String district = "LS" + (1 + i % 9);
        return new Person(i, nhsNumber(i), GIVEN[i % GIVEN.length], FAMILY[i % FAMILY.length],
                LocalDate.of(1935 + (i * 7) % 60, 1 + i % 12, 1 + (i * 5) % 28), i % 2 == 0 ? "F" : "M",
                (10 + i) + " " + STREETS[i % STREETS.length],
                district + " " + (1 + i % 8) + (char) ('A' + i % 26) + (char) ('Z' - i % 26));
    }

    /** 999 followed by six digits and the Modulus 11 check digit (numbers whose check would be 10 are skipped). */
    static String nhsNumber(int i) {
        for (int candidate = 300_000 + i * 97; ; candidate++) {
            String nine = "999" + String.format("%06d", candidate);
            int sum = 0;
            for (int d = 0; d < 9; d++) {
                sum += (nine.charAt(d) - '0') * (10 - d);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return nine + check;
            }
        }
    }

    private List<Step> story(int i, Kind kind) {
        Person p = person(i);
        String a = "A" + (1000 + i);
        String b = "B" + (2000 + i);
        String g = "G" + (3000 + i);
        String d = "D" + (4000 + i);
        List<Step> steps = new ArrayList<>();
        switch (kind) {
            case NHS_EVERYWHERE -> {
                steps.add(register(HOSPITAL_A, a, p, true, true));
                steps.add(register(HOSPITAL_B, b, p, true, true));
                // The repeat pair: hospital A's HbA1c first, then hospital B's 30 to 80 days later.
                int day = random.nextInt(60);
                steps.add(report(HOSPITAL_A, a, p.nhs(), "FA" + i + "H", day, List.of(HBA1C)));
                steps.add(admit(HOSPITAL_A, a, p.nhs(), "V" + i));
                steps.add(register(GP, g, p, true, true));
                steps.addAll(versions(HOSPITAL_A, a, p.nhs(), "FA" + i + "R", 5 + random.nextInt(60)));
                steps.add(report(HOSPITAL_B, b, p.nhs(), "FB" + i + "H", day + 30 + random.nextInt(50),
                        List.of(HBA1C)));
                steps.addAll(copied(HOSPITAL_B, b, p.nhs(), GP, g, p.nhs(), "FB" + i + "C",
                        70 + random.nextInt(30)));
                steps.add(discharge(HOSPITAL_A, a, p.nhs(), "V" + i));
            }
            case GP_BY_DEMOGRAPHICS -> {
                Step hospital = register(HOSPITAL_A, a, p, true, true);
                Step gp = register(GP, g, p, false, true);
                boolean gpFirst = random.nextBoolean();
                steps.add(gpFirst ? gp : hospital);
                steps.add(report(GP, g, null, "FG" + i + "S", random.nextInt(20), panel(3)));
                steps.add(gpFirst ? hospital : gp);
                steps.addAll(copied(HOSPITAL_A, a, p.nhs(), GP, g, null, "FA" + i + "C", 30 + random.nextInt(30)));
                steps.addAll(versions(GP, g, null, "FG" + i + "R", 60 + random.nextInt(30)));
            }
            case GP_PULLED_IN -> {
                steps.add(registerNameOnly(HOSPITAL_B, b, p));
                steps.add(register(GP, g, p, false, true));
                steps.add(report(GP, g, null, "FG" + i + "S", random.nextInt(20), panel(4)));
                steps.add(admit(HOSPITAL_B, b, p.nhs(), "W" + i));
                steps.addAll(versions(GP, g, null, "FG" + i + "R", 20 + random.nextInt(20)));
                steps.add(register(HOSPITAL_A, a, p, true, true));
                steps.add(report(HOSPITAL_A, a, p.nhs(), "FA" + i + "S", 45 + random.nextInt(20), panel(3)));
                steps.add(discharge(HOSPITAL_B, b, p.nhs(), "W" + i));
            }
            case DUPLICATE_MERGED -> {
                steps.add(register(HOSPITAL_A, a, p, true, true));
                steps.add(registerDuplicate(HOSPITAL_A, d, p));
                steps.add(report(HOSPITAL_A, d, null, "FD" + i + "S", random.nextInt(20), panel(3)));
                steps.add(admit(HOSPITAL_A, d, null, "X" + i));
                steps.addAll(versions(HOSPITAL_A, a, p.nhs(), "FA" + i + "R", 20 + random.nextInt(20)));
                steps.add(mergeDuplicate(HOSPITAL_A, a, d, p));
                steps.add(report(HOSPITAL_A, d, null, "FD" + i + "T", 45 + random.nextInt(20), panel(2)));
                steps.add(discharge(HOSPITAL_A, a, p.nhs(), "X" + i));
            }
            case SINGLE -> {
                steps.add(register(HOSPITAL_A, a, p, true, true));
                steps.add(report(HOSPITAL_A, a, p.nhs(), "FA" + i + "S", random.nextInt(30), panel(4)));
                // An update of the record with another NHS number: the record follows it, raised for review
                // (NHS_NUMBER_CHANGED).
                steps.add((w, at) -> List.of(w.patient(HOSPITAL_A, a, nhsNumber(500 + i), PatientEventKind.UPDATE,
                        "A08", p.given(), p.family(), p.born(), p.sex(), p.addressLine(), p.postcode(), null, at)));
                steps.addAll(versions(HOSPITAL_A, a, p.nhs(), "FA" + i + "R", 30 + random.nextInt(30)));
            }
        }
        return steps;
    }

    private List<String> panel(int size) {
        List<String> codes = new ArrayList<>();
        while (codes.size() < size) {
            String code = (String) PANEL[random.nextInt(PANEL.length)][0];
            if (!codes.contains(code)) {
                codes.add(code);
            }
        }
        return codes;
    }

    // ---- patient events -------------------------------------------------------------------------------------

    private Step register(String facility, String mrn, Person p, boolean withNhs, boolean full) {
        return (w, at) -> List.of(w.patient(facility, mrn, withNhs ? p.nhs() : null, PatientEventKind.REGISTER, "A04",
                p.given(), p.family(), full ? p.born() : null, full ? p.sex() : null,
                full ? p.addressLine() : null, full ? p.postcode() : null, null, at));
    }

    private Step registerNameOnly(String facility, String mrn, Person p) {
        return (w, at) -> List.of(w.patient(facility, mrn, p.nhs(), PatientEventKind.REGISTER, "A04", p.given(),
                p.family(), null, null, null, null, null, at));
    }

    /**
     * A duplicate record: another name spelling, no birth date, an address of its own (each duplicate another one);
     * not linkable by demographics, to its person or to anyone else's duplicate.
     */
    private Step registerDuplicate(String facility, String mrn, Person p) {
        String line = (100 + p.index()) + " Elsewhere Road";
        String postcode = "WF" + (1 + p.index() % 9) + " " + (p.index() % 10) + (char) ('A' + p.index() % 26) + "Q";
        return (w, at) -> List.of(w.patient(facility, mrn, null, PatientEventKind.REGISTER, "A04",
                "X" + p.given().toLowerCase(java.util.Locale.ROOT), p.family() + "dup", null, null, line, postcode,
                null, at));
    }

    private Step mergeDuplicate(String facility, String survivorMrn, String priorMrn, Person p) {
        return (w, at) -> List.of(w.patient(facility, survivorMrn, p.nhs(), PatientEventKind.MERGE, "A40",
                p.given(), p.family(), p.born(), p.sex(), p.addressLine(), p.postcode(), priorMrn, at));
    }

    private Input patient(String facility, String mrn, String nhs, PatientEventKind kind, String trigger,
                          String given, String family, LocalDate born, String sex, String line, String postcode,
                          String priorMrn, Instant at) {
        List<Identifier> ids = identifiers(facility, mrn, nhs);
        PatientEvent event = PatientEvent.newBuilder()
                .setProvenance(provenance(facility, "ADT^" + trigger, at))
                .setKind(kind)
                .setTrigger(trigger)
                .setIdentifiers(ids)
                .setNhsNumber(nhs)
                .setName(HumanName.newBuilder().setFamily(family).setGiven(List.of(given)).build())
                .setBirthDate(born)
                .setSex(sex)
                .setAddress(line == null && postcode == null ? null : Address.newBuilder()
                        .setLines(line == null ? List.of() : List.of(line)).setCity("Leeds").setPostcode(postcode)
                        .build())
                .setMerge(priorMrn == null ? null : Merge.newBuilder().setPriorIdentifiers(List.of(
                        Identifier.newBuilder().setSystem(facility).setValue(priorMrn).setType("MR").build()))
                        .build())
                .build();
        return new Input(Topics.PATIENT_EVENTS, facility + "|" + mrn, event, at.toEpochMilli());
    }

    // ---- encounters -------------------------------------------------------------------------------------------

    private Step admit(String facility, String mrn, String nhs, String visit) {
        return (w, at) -> List.of(w.encounter(facility, mrn, nhs, visit, "A01", "ADMITTED", at, null, at));
    }

    private Step discharge(String facility, String mrn, String nhs, String visit) {
        return (w, at) -> List.of(w.encounter(facility, mrn, nhs, visit, "A03", "DISCHARGED", null, at, at));
    }

    private Input encounter(String facility, String mrn, String nhs, String visit, String trigger, String status,
                            Instant admitted, Instant discharged, Instant at) {
        EncounterEvent event = EncounterEvent.newBuilder()
                .setProvenance(provenance(facility, "ADT^" + trigger, at))
                .setTrigger(trigger)
                .setPatientIdentifiers(identifiers(facility, mrn, nhs))
                .setVisit(Identifier.newBuilder().setSystem(facility + "-visit").setValue(visit).setType("VN").build())
                .setPatientClass("I")
                .setLocation("WARD" + (visit.hashCode() & 7))
                .setStatus(status)
                .setAdmittedAt(admitted)
                .setDischargedAt(discharged)
                .build();
        return new Input(Topics.ENCOUNTER_EVENTS, facility + "|" + mrn, event, at.toEpochMilli());
    }

    // ---- lab results ------------------------------------------------------------------------------------------

    /** One final report: one OBX per code. Values are drawn when the story is written, not when it is sent. */
    private Step report(String facility, String mrn, String nhs, String filler, int collectedDay,
                        List<String> codes) {
        List<String[]> values = draw(codes);
        Instant collected = T0.minus(Duration.ofDays(120)).plus(Duration.ofDays(collectedDay))
                .plus(Duration.ofMinutes(random.nextInt(600)));
        return (w, at) -> w.obx(facility, mrn, nhs, filler, collected, values, "F", at);
    }

    /** The same report three times: preliminary, final (same values), corrected (one value changed). */
    private List<Step> versions(String facility, String mrn, String nhs, String filler, int collectedDay) {
        List<String> codes = panel(2 + random.nextInt(3));
        List<String[]> values = draw(codes);
        List<String[]> corrected = new ArrayList<>(values);
        String[] first = values.get(0);
        corrected.set(0, new String[] {first[0], bump(first[1]), first[2]});
        Instant collected = T0.minus(Duration.ofDays(120)).plus(Duration.ofDays(collectedDay))
                .plus(Duration.ofMinutes(random.nextInt(600)));
        return List.of(
                (w, at) -> w.obx(facility, mrn, nhs, filler, collected, values, "P", at),
                (w, at) -> w.obx(facility, mrn, nhs, filler, collected, values, "F", at),
                (w, at) -> w.obx(facility, mrn, nhs, filler, collected, corrected, "C", at));
    }

    /** A report from one organisation and its copy from another: same tests, specimen time, values and units. */
    private List<Step> copied(String facility, String mrn, String nhs, String copyFacility, String copyMrn,
                              String copyNhs, String filler, int collectedDay) {
        List<String> codes = panel(2 + random.nextInt(3));
        List<String[]> values = draw(codes);
        Instant collected = T0.minus(Duration.ofDays(120)).plus(Duration.ofDays(collectedDay))
                .plus(Duration.ofMinutes(random.nextInt(600)));
        return List.of(
                (w, at) -> w.obx(facility, mrn, nhs, filler, collected, values, "F", at),
                (w, at) -> w.obx(copyFacility, copyMrn, copyNhs, "C-" + filler, collected, values, "F", at));
    }

    private List<String[]> draw(List<String> codes) {
        List<String[]> values = new ArrayList<>();
        for (String code : codes) {
            if (code.equals(HBA1C)) {
                values.add(new String[] {code, String.valueOf(38 + random.nextInt(40)), "mmol/mol"});
                continue;
            }
            for (Object[] test : PANEL) {
                if (test[0].equals(code)) {
                    double low = (double) test[2];
                    double high = (double) test[3];
                    int decimals = (int) test[4];
                    double v = low + random.nextDouble() * (high - low);
                    values.add(new String[] {code, String.format(java.util.Locale.ROOT, "%." + decimals + "f", v),
                        (String) test[1]});
                }
            }
        }
        return values;
    }

    private static String bump(String value) {
        int dot = value.indexOf('.');
        if (dot < 0) {
            return String.valueOf(Long.parseLong(value) + 1);
        }
        int decimals = value.length() - dot - 1;
        double v = Double.parseDouble(value) + Math.pow(10, -decimals);
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    private List<Input> obx(String facility, String mrn, String nhs, String filler, Instant collected,
                            List<String[]> values, String status, Instant at) {
        Provenance provenance = provenance(facility, "ORU^R01", at);
        List<Input> out = new ArrayList<>();
        int setId = 1;
        for (String[] v : values) {
            ObservationEvent event = ObservationEvent.newBuilder()
                    .setProvenance(provenance)
                    .setPatientIdentifiers(identifiers(facility, mrn, nhs))
                    .setPlacerOrderNumber("PL-" + filler)
                    .setFillerOrderNumber(filler)
                    .setSetId(setId++)
                    .setCode(Coding.newBuilder().setSystem(LOINC).setCode(v[0]).build())
                    .setValueType("NM")
                    .setValue(v[1])
                    .setNumericValue(Double.valueOf(v[1]))
                    .setUnits(v[2])
                    .setStatus(status)
                    .setCollectedAt(StatedTime.newBuilder().setInstant(collected).setOffsetSeconds(0).build())
                    .setReportedAt(StatedTime.newBuilder().setInstant(at).setOffsetSeconds(0).build())
                    .build();
            out.add(new Input(Topics.OBSERVATION_EVENTS, facility + "|" + mrn, event, at.toEpochMilli()));
        }
        return out;
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private Provenance provenance(String facility, String messageType, Instant at) {
        int n = ++messages;
        String control = facility + "-" + n;
        return Provenance.newBuilder().setSendingFacility(facility).setMessageType(messageType).setControlId(control)
                .setReceivedAt(at)
                .setRaw(RawMessageRef.newBuilder().setMessageId("raw-" + control).setTopic("hl7.raw").setPartition(0)
                        .setOffset((long) n).build())
                .build();
    }

    private static List<Identifier> identifiers(String facility, String mrn, String nhs) {
        List<Identifier> ids = new ArrayList<>();
        ids.add(Identifier.newBuilder().setSystem(facility).setValue(mrn).setType("MR").build());
        if (nhs != null) {
            ids.add(Identifier.newBuilder().setSystem(NHS).setValue(nhs).setType("NH").build());
        }
        return ids;
    }
}
