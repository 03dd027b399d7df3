package org.careweave.ingest.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import org.careweave.events.Address;
import org.careweave.events.Coding;
import org.careweave.events.EncounterEvent;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.Merge;
import org.careweave.events.ObservationEvent;
import org.careweave.events.Organisation;
import org.careweave.events.PatientEvent;
import org.careweave.events.PatientEventKind;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessage;
import org.careweave.events.RawMessageRef;
import org.careweave.events.StatedTime;
import org.careweave.ingest.hl7.Hl7Fields;
import org.careweave.ingest.hl7.Hl7Message;
import org.careweave.ingest.hl7.Hl7Parser;
import org.careweave.ingest.hl7.Hl7Segments;
import org.careweave.ingest.hl7.Hl7Time;
import org.careweave.ingest.hl7.LightMessage;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.hl7.MshReader;
import org.careweave.ingest.hl7.PatientGroups;
import org.careweave.ingest.validation.MessageTypes;
import org.careweave.ingest.validation.MessageValidator;

import ca.uhn.hl7v2.HL7Exception;

/**
 * Maps one archived raw message to patient, encounter and observation events. A pure function of the raw record
 * and the zone rules: the live mapping processor and replay both call it, so both give the same events.
 */
public final class RawMessageMapper {

    public static final String LOINC = "http://loinc.org";
    /** Value types whose OBX segments may be lines of one text (see reportContinued). */
    private static final Set<String> TEXT_TYPES = Set.of("TX", "FT", "ST");
    public static final String SNOMED = "http://snomed.info/sct";

    private final ZoneId defaultZone;
    private final Map<String, ZoneId> zoneByFacility;
    private final Map<String, String> authorityByFacility;

    private final boolean lightReader;
    /** Messages read with HAPI's parse (the light reader could not answer for them): the slow path, counted. */
    private final LongAdder hapiReads = new LongAdder();

    public RawMessageMapper(ZoneId defaultZone, Map<String, ZoneId> zoneByFacility) {
        this(defaultZone, zoneByFacility, Map.of(), true);
    }

    /**
     * @param authorityByFacility the assigning authority of identifiers a facility sends without one (CX-4 empty);
     *                            a facility not listed is its own
     */
    public RawMessageMapper(ZoneId defaultZone, Map<String, ZoneId> zoneByFacility,
                            Map<String, String> authorityByFacility) {
        this(defaultZone, zoneByFacility, authorityByFacility, true);
    }

    /** {@code lightReader} false: always HAPI's parse (what the light reader must agree with, in tests). */
    RawMessageMapper(ZoneId defaultZone, Map<String, ZoneId> zoneByFacility, Map<String, String> authorityByFacility,
                     boolean lightReader) {
        this.defaultZone = defaultZone;
        this.zoneByFacility = Map.copyOf(zoneByFacility);
        this.authorityByFacility = Map.copyOf(authorityByFacility);
        this.lightReader = lightReader;
    }

    /** The system of identifiers the facility sends without an assigning authority. */
    private String authority(String facility) {
        return authorityByFacility.getOrDefault(facility, facility);
    }

    /** @throws MappingException when the message cannot become events; the reason names fields, never values */
    public MappedEvents map(RawMessage raw, RawMessageRef ref) {
        String text = MessageValidator.normaliseSegmentSeparators(decode(raw));
        MshHeader msh = MshReader.read(text).orElseThrow(() -> new MappingException("no readable MSH segment"));
        String code = msh.messageCode();
        String trigger = msh.triggerEvent();
        if (!MessageTypes.supported(code, trigger)) {
            return MappedEvents.none();
        }
        String version = Hl7Parser.parseVersion(msh.version())
                .orElseThrow(() -> new MappingException("unsupported HL7 version"));
        if (lightReader) {
            // The light reader answers when it can be sure HAPI would parse the text and read the same values;
            // otherwise (escapes in a value read, odd segment names) the message is read again with HAPI.
            Optional<LightMessage> light = LightMessage.read(text, msh);
            if (light.isPresent()) {
                try {
                    return map(raw, ref, code, trigger, light.get(), msh.messageTime());
                } catch (LightMessage.Unsure e) {
                    // fall through to HAPI
                }
            }
        }
        Hl7Message message;
        hapiReads.increment();
        try {
            message = Hl7Parser.parse(text, version, Charset.forName(raw.getCharset()));
        } catch (HL7Exception e) {
            throw new MappingException("not parseable HL7");
        }
        return map(raw, ref, code, trigger, message.asSegments(), msh.messageTime());
    }

    /** How many messages this mapper has read with HAPI's parse rather than the light reader. */
    public long hapiReads() {
        return hapiReads.sum();
    }

    private MappedEvents map(RawMessage raw, RawMessageRef ref, String code, String trigger, Hl7Segments message,
                             String messageTime) {
        ZoneId zone = zoneByFacility.getOrDefault(raw.getSendingFacility(), defaultZone);
        MappedEvents mapped = mapMessage(raw, ref, code, trigger, message, zone);
        SenderTime sent = recordedAt(message.first("EVN").map(evn -> evn.value(2)).orElse(""), messageTime, zone,
                raw.getReceivedAt());
        Instant recordedAt = sent.recordedAt();
        // Set on the events just built, which nothing else holds yet: a builder's copy would deep-copy every event
        // of every message on mapping's hot path for one field.
        for (MappedEvents.Keyed<PatientEvent> patient : mapped.patients()) {
            patient.event().setRecordedAt(recordedAt);
        }
        for (MappedEvents.Keyed<EncounterEvent> encounter : mapped.encounters()) {
            encounter.event().setRecordedAt(recordedAt);
        }
        return sent.ahead() ? mapped.withSenderTimeAhead() : mapped;
    }

    /**
     * How far a sender's clock may run ahead of careweave's before its times are not believed. Clocks kept by NTP
     * differ by seconds; a time further ahead than this is a clock set wrong (or a year keyed wrong, or a planned time
     * in EVN-2), and read as when the event was recorded it would order the source's later, true statements before
     * it for ever: an update to the patient's address would be ignored, a discharge read before a stale admission.
     */
    static final Duration SENDER_CLOCK_AHEAD = Duration.ofMinutes(5);

    /** When the sender recorded a message's events, and whether a time it gave was after careweave received it. */
    record SenderTime(Instant recordedAt, boolean ahead) {
    }

    /**
     * When the sender's system recorded the event: EVN-2, else MSH-7 (when the message was made, which a patient
     * administration system does as it records the event), neither later than {@link #SENDER_CLOCK_AHEAD} after
     * careweave received the message. Null when neither reads as such a date/time: the event is then read in the
     * order received, as every event was before the twenty-second session.
     */
    static SenderTime recordedAt(String evn2, String msh7, ZoneId zone, Instant receivedAt) {
        Instant latest = receivedAt == null ? null : receivedAt.plus(SENDER_CLOCK_AHEAD);
        boolean ahead = false;
        for (String time : new String[] {evn2, msh7}) {
            try {
                Optional<Instant> at = Hl7Time.parseBefore(time, zone, latest).map(Hl7Time.Stated::instant);
                if (at.isPresent()) {
                    if (latest == null || !at.get().isAfter(latest)) {
                        return new SenderTime(at.get(), ahead);
                    }
                    ahead = true;
                }
            } catch (DateTimeException e) {
                // not a date/time: try the next, as if it were empty
            }
        }
        return new SenderTime(null, ahead);
    }

    private MappedEvents mapMessage(RawMessage raw, RawMessageRef ref, String code, String trigger,
                                    Hl7Segments message, ZoneId zone) {
        Provenance provenance = Provenance.newBuilder()
                .setSendingFacility(raw.getSendingFacility())
                .setSendingApplication(raw.getSendingApplication())
                .setMessageType(raw.getMessageType())
                .setControlId(raw.getControlId())
                .setReceivedAt(raw.getReceivedAt())
                .setRaw(ref)
                .build();
        List<Hl7Segments> patients = PatientGroups.of(message);
        if (patients.isEmpty()) {
            throw new MappingException("PID segment missing");
        }
        try {
            if (MessageTypes.isResult(code, trigger)) {
                if (PatientGroups.beforeFirstPatient(message).stream()
                        .anyMatch(s -> MessageTypes.RESULT_SEGMENTS.contains(s.name()))) {
                    throw new MappingException("result segments before the first PID");
                }
                // Each patient's results are filed under that patient's own PID: an ORU may report for several.
                MappedEvents mapped = MappedEvents.none();
                for (Hl7Segments patient : patients) {
                    mapped = mapped.and(results(patient, raw, provenance, trigger, zone));
                }
                return mapped;
            }
            if (MessageTypes.isMerge(code, trigger) || MessageTypes.isSwap(code, trigger)) {
                // A39/A40 may merge several pairs, each a PID with its MRG (A34 and A47 have one); an A17 swaps two
                // patients' beds, each PID with its new PV1.
                MappedEvents mapped = MappedEvents.none();
                for (Hl7Segments patient : patients) {
                    mapped = mapped.and(adt(patient, raw, provenance, code, trigger, zone));
                }
                return mapped;
            }
            if (MessageTypes.isLink(code, trigger)) {
                return link(patients, raw, provenance, trigger, zone);
            }
            if (MessageTypes.isVisitMove(code, trigger)) {
                return moveVisits(patients.get(0), raw, provenance, trigger, zone);
            }
            // Validation refuses a second PID in other ADT messages; one archived before that maps its first.
            return adt(patients.get(0), raw, provenance, code, trigger, zone);
        } catch (DateTimeException e) {
            throw new MappingException("a date/time field is not an HL7 date/time");
        }
    }

    private MappedEvents results(Hl7Segments patient, RawMessage raw, Provenance provenance, String trigger,
                                 ZoneId zone) {
        Hl7Fields pid = patient.first("PID").orElseThrow();
        List<Identifier> identifiers = Identifiers.ofPatient(pid, authority(raw.getSendingFacility()));
        String key = Identifiers.patientKey(identifiers);
        // The result's PID is a statement about the patient too: identity must know the identifiers a result is
        // filed under, even for a patient no ADT feed has told us about.
        PatientEvent event = patient(patient, pid, provenance, trigger, identifiers, zone);
        return new MappedEvents(List.of(new MappedEvents.Keyed<>(key, event)), List.of(),
                observations(patient, provenance, identifiers, zone).stream()
                        .map(o -> new MappedEvents.Keyed<>(key, o)).toList());
    }

    private MappedEvents adt(Hl7Segments patient, RawMessage raw, Provenance provenance, String code, String trigger,
                             ZoneId zone) {
        Hl7Fields pid = patient.first("PID").orElseThrow();
        List<Identifier> identifiers = Identifiers.ofPatient(pid, authority(raw.getSendingFacility()));
        String key = Identifiers.patientKey(identifiers);
        PatientEvent event = patient(patient, pid, provenance, trigger, identifiers, zone);
        if (MessageTypes.DELETE_PERSON.equals(trigger)) {
            event = withdrawn(event);
        }
        List<MappedEvents.Keyed<EncounterEvent>> encounters = new ArrayList<>();
        if (MessageTypes.isAdt(code, trigger) && MessageTypes.hasEncounter(trigger)) {
            patient.first("PV1").filter(pv1 -> describesAVisit(pv1, trigger))
                    .ifPresent(pv1 -> encounters.add(new MappedEvents.Keyed<>(key,
                            encounter(pv1, priorVisit(patient, trigger, provenance), provenance, trigger, identifiers,
                                    zone))));
        }
        return new MappedEvents(List.of(new MappedEvents.Keyed<>(key, event)), encounters, List.of());
    }

    /**
     * A link (A24) or unlink (A37): the first PID's record, as its sender knows it now, carrying the second record's
     * identifiers. The second PID's demographics are not a statement of this record's, and its visits are not
     * changed: a link says who is whom, nothing more.
     */
    private MappedEvents link(List<Hl7Segments> patients, RawMessage raw, Provenance provenance, String trigger,
                              ZoneId zone) {
        if (patients.size() != 2) {
            throw new MappingException("a link or unlink needs two PIDs");
        }
        String authority = authority(raw.getSendingFacility());
        Hl7Fields first = patients.get(0).first("PID").orElseThrow();
        List<Identifier> identifiers = Identifiers.ofPatient(first, authority);
        List<Identifier> linked = Identifiers.ofPatient(patients.get(1).first("PID").orElseThrow(), authority);
        if (linked.isEmpty()) {
            throw new MappingException("the second PID has no patient identifier");
        }
        PatientEvent event = PatientEvent.newBuilder(patient(patients.get(0), first, provenance, trigger,
                identifiers, zone)).setLinkedIdentifiers(linked).build();
        return new MappedEvents(List.of(new MappedEvents.Keyed<>(Identifiers.patientKey(identifiers), event)),
                List.of(), List.of());
    }

    /**
     * A visit moved from one patient to another (A45: recorded under the wrong patient). For each MRG and the PV1
     * after it: the patient the visit was under (MRG-1) states the visit entered-in-error under its number there
     * (MRG-5, else PV1-19), so that their view leaves it out, and the PID's patient states the visit as the PV1 gives
     * it (PV1-19, else MRG-5). The A45 states no status: the moved visit is finished when PV1-45 gives a discharge
     * time, in progress when PV1-44 gives an admission, and unknown (FHIR's {@code unknown}) otherwise.
     */
    private MappedEvents moveVisits(Hl7Segments patient, RawMessage raw, Provenance provenance, String trigger,
                                    ZoneId zone) {
        String authority = authority(raw.getSendingFacility());
        Hl7Fields pid = patient.first("PID").orElseThrow();
        List<Identifier> identifiers = Identifiers.ofPatient(pid, authority);
        String key = Identifiers.patientKey(identifiers);
        PatientEvent event = patient(patient, pid, provenance, trigger, identifiers, zone);
        List<MappedEvents.Keyed<EncounterEvent>> encounters = new ArrayList<>();
        List<Hl7Fields> segments = patient.segments();
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (!segments.get(i).name().equals("MRG") || !segments.get(i + 1).name().equals("PV1")) {
                continue;
            }
            Hl7Fields mrg = segments.get(i);
            Hl7Fields pv1 = segments.get(i + 1);
            List<Identifier> from = Identifiers.fromCx(mrg, 1, authority);
            Identifier wasVisit = firstNonNull(visitIdentifier(mrg, 5, provenance),
                    visitIdentifier(pv1, 19, provenance));
            if (from.isEmpty() || wasVisit == null) {
                throw new MappingException("a visit move needs MRG-1 and a visit number");
            }
            String fromKey = Identifiers.patientKey(from);
            Identifier visit = firstNonNull(visitIdentifier(pv1, 19, provenance), wasVisit);
            if (!fromKey.equals(key) || !Identifiers.key(wasVisit).equals(Identifiers.key(visit))) {
                encounters.add(new MappedEvents.Keyed<>(fromKey, EncounterEvent.newBuilder()
                        .setProvenance(provenance).setTrigger(trigger).setPatientIdentifiers(from)
                        .setVisit(wasVisit).setStatus(ENTERED_IN_ERROR).build()));
            }
            EncounterEvent moved = encounter(pv1, null, provenance, trigger, identifiers, zone);
            String status = moved.getDischargedAt() != null ? "finished"
                    : moved.getAdmittedAt() != null ? "in-progress" : "unknown";
            encounters.add(new MappedEvents.Keyed<>(key, EncounterEvent.newBuilder(moved).setVisit(visit)
                    .setStatus(status).build()));
        }
        if (encounters.isEmpty()) {
            throw new MappingException("a visit move needs an MRG followed by its PV1");
        }
        return new MappedEvents(List.of(new MappedEvents.Keyed<>(key, event)), encounters, List.of());
    }

    /**
     * PID-29 (date of death) and PID-30 (death indicator). Y states the death, with or without a date: a patient
     * administration system told of a death whose date it does not know yet sends Y alone. N, or "" (HL7 explicit
     * null), without a date is the source saying the patient is alive, which is how a PAS takes back a death recorded
     * by mistake; so is a date cleared with "" unless PID-30 still says Y.
     */
    private static void death(Hl7Fields pid, ZoneId zone, PatientEvent.Builder b, List<String> cleared) {
        String date = pid.value(29);
        String indicator = pid.value(30).trim();
        boolean indicated = "Y".equalsIgnoreCase(indicator);
        boolean noDate = date.isBlank() || Hl7Message.isExplicitNull(date);
        boolean takenBack = noDate && ("N".equalsIgnoreCase(indicator) || Hl7Message.isExplicitNull(indicator)
                || Hl7Message.isExplicitNull(date) && !indicated);
        if (takenBack) {
            cleared.add("deceasedAt");
            cleared.add("deceased");
            return;
        }
        if (Hl7Message.isExplicitNull(date)) {
            cleared.add("deceasedAt");
        } else {
            Hl7Time.parse(date, zone).ifPresent(t -> b.setDeceasedAt(t.instant()));
        }
        if (indicated) {
            b.setDeceased(true);
        }
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }

    /** Every demographic field careweave keeps, by the names {@code clearedFields} uses. */
    static final List<String> DEMOGRAPHIC_FIELDS = List.of("name", "birthDate", "sex", "address", "phone",
            "deceasedAt", "deceased", "generalPractice", "multipleBirth", "birthOrder", "restricted");

    /**
     * An A29 (delete person information): the PID says whose registration is withdrawn, not what it states, so the
     * event clears every demographic field of the source's record and states none.
     */
    private static PatientEvent withdrawn(PatientEvent event) {
        return PatientEvent.newBuilder(event).setName(null).setBirthDate(null).setSex(null).setAddress(null)
                .setPhone(null).setDeceasedAt(null).setDeceased(null).setGeneralPractice(null).setNhsNumberStatus(null)
                .setMultipleBirth(null).setBirthOrder(null).setRestricted(null)
                .setClearedFields(DEMOGRAPHIC_FIELDS).build();
    }

    private static String decode(RawMessage raw) {
        ByteBuffer payload = raw.getPayload().duplicate();
        return Charset.forName(raw.getCharset()).decode(payload).toString();
    }

    private PatientEvent patient(Hl7Segments message, Hl7Fields pid, Provenance provenance, String trigger,
                                 List<Identifier> identifiers, ZoneId zone) {
        List<String> cleared = new ArrayList<>();
        PatientEvent.Builder b = PatientEvent.newBuilder()
                .setProvenance(provenance)
                .setKind(kind(trigger))
                .setTrigger(trigger)
                .setIdentifiers(identifiers)
                .setNhsNumber(identifiers.stream()
                        .filter(i -> i.getValid() && NhsNumbers.SYSTEM.equals(i.getSystem()))
                        .map(Identifier::getValue).findFirst().orElse(null))
                .setNhsNumberStatus(nullIfEmpty(pid.value(32)));
        int nameRepetition = patientNameRepetition(pid);
        String family = pid.value(5, nameRepetition, 1, 1);
        if (Hl7Message.isExplicitNull(family)) {
            cleared.add("name");
        } else if (!family.isEmpty() || !pid.value(5, nameRepetition, 2).isEmpty()) {
            b.setName(name(pid, nameRepetition));
        }
        String birth = pid.value(7);
        if (Hl7Message.isExplicitNull(birth)) {
            cleared.add("birthDate");
        } else {
            Hl7Time.parseDate(birth).ifPresent(b::setBirthDate);
        }
        String sex = pid.value(8);
        if (Hl7Message.isExplicitNull(sex)) {
            cleared.add("sex");
        } else {
            b.setSex(administrativeSex(sex));
        }
        String street = pid.value(11, 0, 1, 1);
        if (Hl7Message.isExplicitNull(street)) {
            cleared.add("address");
        } else {
            address(pid, addressRepetition(pid)).ifPresent(b::setAddress);
        }
        if (Hl7Message.isExplicitNull(pid.value(13))) {
            cleared.add("phone");
        } else {
            b.setPhone(phone(pid, phoneRepetition(pid)));
        }
        message.first("PD1").ifPresent(pd1 -> {
            if (Hl7Message.isExplicitNull(pd1.value(3))) {
                cleared.add("generalPractice");
            } else {
                generalPractice(pd1).ifPresent(b::setGeneralPractice);
            }
            protection(pd1, b, cleared);
        });
        multipleBirth(pid, b, cleared);
        death(pid, zone, b, cleared);
        if (MessageTypes.ADT_MERGE_TRIGGERS.contains(trigger)) {
            Hl7Fields mrg = message.first("MRG").orElseThrow(() -> new MappingException("MRG segment missing"));
            List<Identifier> prior = Identifiers.fromCx(mrg, 1, authority(provenance.getSendingFacility()));
            if (prior.isEmpty()) {
                throw new MappingException("MRG-1 has no prior identifier");
            }
            b.setMerge(Merge.newBuilder().setPriorIdentifiers(prior)
                    .setPriorVisit(nullIfEmpty(mrg.value(5))).build());
        }
        b.setClearedFields(cleared);
        return b.build();
    }

    /**
     * PD1-12, the protection indicator (HL7 table 0136): Y when access to the patient's information is restricted. In
     * England a patient administration system sends it for a patient flagged sensitive on the national demographics
     * service (at risk of harm if found: domestic abuse, witness protection), whose address and contact details must
     * not be shared. Another value is left out as not stated; a restriction is never guessed away.
     */
    private static void protection(Hl7Fields pd1, PatientEvent.Builder b, List<String> cleared) {
        yesNo(pd1.value(12), "restricted", b::setRestricted, cleared);
    }

    /**
     * An HL7 yes/no indicator (table 0136): Y or N, any case, is stated; {@code ""} clears the field (by its
     * {@code clearedFields} name); anything else states nothing.
     */
    private static void yesNo(String value, String field, Consumer<Boolean> state, List<String> cleared) {
        String indicator = value.trim();
        if (Hl7Message.isExplicitNull(indicator)) {
            cleared.add(field);
        } else if (indicator.equalsIgnoreCase("Y")) {
            state.accept(true);
        } else if (indicator.equalsIgnoreCase("N")) {
            state.accept(false);
        }
    }

    /**
     * PID-24 (multiple birth indicator, Y or N) and PID-25 (birth order). A maternity unit states them for twins and
     * triplets, whom demographics cannot tell apart; identity keeps children of one birth from being linked by
     * demographics alone. A value that is neither (a birth order that is not a small number) is left out.
     */
    private static void multipleBirth(Hl7Fields pid, PatientEvent.Builder b, List<String> cleared) {
        yesNo(pid.value(24), "multipleBirth", b::setMultipleBirth, cleared);
        String order = pid.value(25).trim();
        if (Hl7Message.isExplicitNull(order)) {
            cleared.add("birthOrder");
        } else if (order.length() == 1 && order.charAt(0) >= '1' && order.charAt(0) <= '9') {
            b.setBirthOrder(order.charAt(0) - '0');
        }
    }

    private static HumanName name(Hl7Fields pid, int rep) {
        List<String> given = new ArrayList<>();
        for (int c : new int[] {2, 3}) {
            String g = pid.value(5, rep, c);
            if (!g.isEmpty() && !Hl7Message.isExplicitNull(g)) {
                given.add(g);
            }
        }
        return HumanName.newBuilder()
                .setFamily(nullIfEmpty(pid.value(5, rep, 1, 1)))
                .setGiven(given)
                .setSuffix(nullIfEmpty(pid.value(5, rep, 4)))
                .setPrefix(nullIfEmpty(pid.value(5, rep, 5)))
                .build();
    }

    /**
     * Which repetition of PID-5 is the patient's name: the legal one (XPN-7 {@code L}) wherever it stands, else the
     * first that is not a name the patient is only also known by (alias, nickname, maiden name, name at birth, a
     * partner's, business or pseudonym, one marked bad), else the first. HL7 asks for the legal name first, but
     * feeds that put an alias or a maiden name first exist, and the first name would then show as the patient's.
     */
    static int patientNameRepetition(Hl7Fields pid) {
        return preferredRepetition(pid, 5, 7, Set.of("L"), OTHER_NAME_TYPES,
                rep -> !pid.value(5, rep, 1, 1).isEmpty() || !pid.value(5, rep, 2).isEmpty());
    }

    /** HL7 table 0200 name types that are not the name a patient goes by now. */
    private static final Set<String> OTHER_NAME_TYPES = Set.of("A", "N", "M", "B", "BAD", "K", "P", "S");

    /**
     * PD1-3, the patient's primary facility: in England the GP practice the patient is registered with, as XON (the
     * name, and the ODS code in XON-10 from HL7 2.5, or in XON-3 as earlier versions and NHS feeds send it).
     */
    private static Optional<Organisation> generalPractice(Hl7Fields pd1) {
        String name = pd1.value(3, 0, 1).trim();
        String code = pd1.value(3, 0, 10).trim();
        if (code.isEmpty()) {
            code = pd1.value(3, 0, 3).trim();
        }
        if (name.isEmpty() && code.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Organisation.newBuilder().setCode(nullIfEmpty(code)).setName(nullIfEmpty(name)).build());
    }

    /**
     * Which repetition of PID-11 is where the patient lives: the home address (XAD-7 {@code H}) wherever it stands,
     * else the first with something in it that is not an address of another kind (HL7 table 0190: bad address, birth
     * delivery location, residence at birth, country of origin, birth (nee), office, mailing, which may be a PO box or
     * a relative's). Else the first. An address of the wrong kind would show as the patient's and count in matching.
     */
    static int addressRepetition(Hl7Fields pid) {
        return preferredRepetition(pid, 11, 7, Set.of("H"), OTHER_ADDRESS_TYPES,
                rep -> !pid.value(11, rep, 1, 1).isEmpty() || !pid.value(11, rep, 5).isEmpty());
    }

    private static final Set<String> OTHER_ADDRESS_TYPES = Set.of("BA", "BDL", "BR", "F", "N", "O", "M");

    /**
     * Which repetition of PID-13 is the patient's telephone: the primary residence number (XTN-2 {@code PRN}), else
     * the first with a number that is not an e-mail address (XTN-2 {@code NET}, XTN-3 {@code Internet} or
     * {@code X.400}); else the first. Feeds that list the e-mail address first otherwise lost the number.
     */
    static int phoneRepetition(Hl7Fields pid) {
        return preferredRepetition(pid, 13, 2, Set.of("PRN"), Set.of("NET"),
                rep -> phone(pid, rep) != null && !isEmailEquipment(pid.value(13, rep, 3)));
    }

    private static boolean isEmailEquipment(String equipment) {
        return equipment.equalsIgnoreCase("Internet") || equipment.equalsIgnoreCase("X.400");
    }

    /**
     * The repetition of a field whose type (at {@code typeComponent}) is preferred, else the first with content whose
     * type is not avoided, else the first. Repetitions without content are never preferred.
     */
    private static int preferredRepetition(Hl7Fields segment, int field, int typeComponent, Set<String> preferred,
                                           Set<String> avoided, IntPredicate hasContent) {
        int fallback = -1;
        for (int rep = 0, n = segment.repetitions(field); rep < n; rep++) {
            if (!hasContent.test(rep)) {
                continue;
            }
            String type = segment.value(field, rep, typeComponent).trim().toUpperCase(Locale.ROOT);
            if (preferred.contains(type)) {
                return rep;
            }
            if (fallback < 0 && !avoided.contains(type)) {
                fallback = rep;
            }
        }
        return Math.max(fallback, 0);
    }

    /**
     * The number in one PID-13 repetition: XTN-1 (the number as written, before HL7 2.5), else XTN-12 (unformatted),
     * else composed of XTN-5 to XTN-8 (country, area, local number, extension) as HL7 2.5 senders give it.
     */
    private static String phone(Hl7Fields pid, int rep) {
        for (int component : new int[] {1, 12}) {
            String number = pid.value(13, rep, component).trim();
            if (!number.isEmpty() && !Hl7Message.isExplicitNull(number)) {
                return number;
            }
        }
        String local = pid.value(13, rep, 7).trim();
        if (local.isEmpty()) {
            return null;
        }
        StringBuilder number = new StringBuilder();
        String country = pid.value(13, rep, 5).trim();
        String area = pid.value(13, rep, 6).trim();
        String extension = pid.value(13, rep, 8).trim();
        if (!country.isEmpty()) {
            number.append('+').append(country).append(' ');
        }
        if (!area.isEmpty()) {
            number.append(area).append(' ');
        }
        number.append(local);
        if (!extension.isEmpty()) {
            number.append(" ext ").append(extension);
        }
        return number.toString();
    }

    private static Optional<Address> address(Hl7Fields pid, int rep) {
        List<String> lines = new ArrayList<>();
        for (String line : new String[] {pid.value(11, rep, 1, 1), pid.value(11, rep, 2)}) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        String city = pid.value(11, rep, 3);
        String district = pid.value(11, rep, 4);
        String postcode = pid.value(11, rep, 5);
        String country = pid.value(11, rep, 6);
        if (lines.isEmpty() && city.isEmpty() && postcode.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Address.newBuilder().setLines(lines).setCity(nullIfEmpty(city))
                .setDistrict(nullIfEmpty(district)).setPostcode(nullIfEmpty(postcode))
                .setCountry(nullIfEmpty(country)).build());
    }

    /**
     * MRG-5 of an A06, A07, A50 or A42: the visit number the visit had before the class change or the change of
     * number gave it a new one, or that was merged into the PV1's (A42). Other triggers' MRG segments are about
     * patients (merges) or accounts, not visits.
     */
    private Identifier priorVisit(Hl7Segments message, String trigger, Provenance provenance) {
        if (!MessageTypes.VISIT_RENUMBERING_TRIGGERS.contains(trigger)) {
            return null;
        }
        return message.first("MRG").map(mrg -> visitIdentifier(mrg, 5, provenance)).orElse(null);
    }

    private Identifier visitIdentifier(Hl7Fields segment, int field, Provenance provenance) {
        String visit = segment.value(field);
        if (visit.isEmpty() || Hl7Message.isExplicitNull(visit)) {
            return null;
        }
        return Identifiers.identifier(visit, segment.value(field, 0, 4, 1), segment.value(field, 0, 4, 2), "VN",
                authority(provenance.getSendingFacility()));
    }

    /**
     * Whether a PV1 is about a visit. Without a visit number (PV1-19), one whose patient class is N (HL7 table 0004:
     * not applicable), or one that states nothing careweave shows under a trigger that states no status either, is
     * the filler that many patient administration and GP systems send on every update ({@code PV1|1|N}): it would
     * otherwise add an empty encounter to the person's view with every A08.
     */
    static boolean describesAVisit(Hl7Fields pv1, String trigger) {
        if (!blank(pv1.value(19))) {
            return true;
        }
        String patientClass = pv1.value(2).trim();
        if (patientClass.equalsIgnoreCase("N")) {
            return false;
        }
        return encounterStatus(trigger) != null || !blank(patientClass) || !blank(pv1.value(3))
                || !blank(pv1.value(6)) || !blank(pv1.value(44)) || !blank(pv1.value(45));
    }

    /**
     * PID-8 in HL7's codes (table 0001: F, M, O, U, A, N). Feeds that send the NHS Data Dictionary's person gender
     * codes instead (1 male, 2 female, 9 indeterminate, 0 not known), or spell the word, or write it in lower case,
     * would otherwise show "1" as the patient's sex and compare as no sex at all in matching. Anything else is kept
     * as sent.
     */
    static String administrativeSex(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return null;
        }
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "M", "1", "MALE" -> "M";
            case "F", "2", "FEMALE" -> "F";
            case "0", "UNKNOWN" -> "U";
            case "9" -> "A";
            default -> v.length() <= 2 ? v.toUpperCase(Locale.ROOT) : v;
        };
    }

    private static boolean blank(String value) {
        return value.isBlank() || Hl7Message.isExplicitNull(value);
    }

    private EncounterEvent encounter(Hl7Fields pv1, Identifier priorVisit, Provenance provenance, String trigger,
                                     List<Identifier> identifiers, ZoneId zone) {
        Identifier visitId = visitIdentifier(pv1, 19, provenance);
        return EncounterEvent.newBuilder()
                .setProvenance(provenance)
                .setTrigger(trigger)
                .setPatientIdentifiers(identifiers)
                .setVisit(visitId)
                .setPatientClass(nullIfEmpty(pv1.value(2)))
                .setLocation(location(pv1, 3))
                .setPriorLocation(location(pv1, 6))
                .setPriorVisit(priorVisit == null || priorVisit.equals(visitId) ? null : priorVisit)
                .setStatus(encounterStatus(trigger))
                .setAdmittedAt(leniently(pv1.value(44), zone).map(Hl7Time.Stated::instant).orElse(null))
                .setDischargedAt(leniently(pv1.value(45), zone).map(Hl7Time.Stated::instant).orElse(null))
                .build();
    }

    private static String location(Hl7Fields pv1, int field) {
        List<String> parts = new ArrayList<>();
        for (int c = 1; c <= 4; c++) {
            String p = pv1.value(field, 0, c);
            if (!p.isEmpty() && !Hl7Message.isExplicitNull(p)) {
                parts.add(p);
            }
        }
        return parts.isEmpty() ? null : String.join(" / ", parts);
    }

    /**
     * Encounter status in FHIR's terms (R4 Encounter.status); null when the trigger says nothing about it (an update,
     * a change to outpatient). A cancellation states the status the visit goes back to: a cancelled transfer (A12),
     * discharge (A13) or leave of absence (A52) leaves the patient in hospital; a cancelled return from leave (A53)
     * leaves them on leave; a cancelled admission, pending admission or pre-admission (A11, A27, A38) cancels the
     * visit.
     */
    /** FHIR's status for a visit that should never have been recorded: an A23 deletes the visit. */
    public static final String ENTERED_IN_ERROR = "entered-in-error";

    private static String encounterStatus(String trigger) {
        return switch (trigger) {
            case "A01", "A02", "A06", "A12", "A13", "A22", "A52" -> "in-progress";
            case "A03" -> "finished";
            case "A04" -> "arrived";
            case "A05", "A14" -> "planned";
            case "A11", "A27", "A38" -> "cancelled";
            case "A23" -> ENTERED_IN_ERROR;
            case "A21", "A53" -> "onleave";
            default -> null;
        };
    }

    private List<ObservationEvent> observations(Hl7Segments message, Provenance provenance,
                                                List<Identifier> identifiers, ZoneId zone) {
        List<ObservationEvent.Builder> built = new ArrayList<>();
        Hl7Fields obr = null;
        List<String> orderNotes = new ArrayList<>();
        ObservationEvent.Builder current = null;
        List<ObservationEvent.Builder> ofThisOrder = new ArrayList<>();
        // Looked up, not searched for: an order of tens of thousands of OBX was quadratic in them.
        Map<LineName, ObservationEvent.Builder> textsOfThisOrder = new HashMap<>();
        // A report's lines, joined once at the end: joined line by line, thousands of lines were quadratic.
        Map<ObservationEvent.Builder, StringBuilder> reports = new IdentityHashMap<>();
        for (Hl7Fields s : message.segments()) {
            switch (s.name()) {
                case "OBR" -> {
                    obr = s;
                    orderNotes = new ArrayList<>();
                    ofThisOrder = new ArrayList<>();
                    textsOfThisOrder = new HashMap<>();
                    current = null;
                }
                case "OBX" -> {
                    if (obr == null) {
                        throw new MappingException("OBX before any OBR");
                    }
                    ObservationEvent.Builder next = observation(obr, s, provenance, identifiers, zone);
                    LineName line = lineName(next);
                    ObservationEvent.Builder report = line == null ? null : textsOfThisOrder.get(line);
                    if (report != null) {
                        reports.computeIfAbsent(report, r -> new StringBuilder(Objects.toString(r.getValue(), "")))
                                .append('\n').append(Objects.toString(next.getValue(), ""));
                        current = report; // notes after this line belong to the report
                        continue;
                    }
                    current = next;
                    current.getNotes().addAll(orderNotes);
                    built.add(current);
                    ofThisOrder.add(current);
                    if (line != null) {
                        textsOfThisOrder.put(line, current);
                    }
                }
                case "NTE" -> {
                    String note = noteText(s);
                    if (note.isEmpty()) {
                        continue;
                    }
                    if (current != null) {
                        current.getNotes().add(note);
                    } else if (obr != null) {
                        orderNotes.add(note);
                        for (ObservationEvent.Builder o : ofThisOrder) {
                            o.getNotes().add(note);
                        }
                    }
                }
                case "SPM" -> {
                    // The specimen group follows its order's observations (HL7 2.5 ORU_R01).
                    StatedTime collected = specimenCollected(s, zone);
                    for (ObservationEvent.Builder o : ofThisOrder) {
                        if (o.getCollectedAt() == null) {
                            o.setCollectedAt(collected);
                        }
                    }
                }
                default -> {
                    // Other segments (ORC, Z-segments) carry nothing the events need; Z-segments stay in raw.
                }
            }
        }
        if (built.isEmpty()) {
            throw new MappingException("a result message without OBX");
        }
        reports.forEach((report, lines) -> {
            // Blank lines inside a report are its layout; before and after it they are nothing.
            String text = withoutBlankLinesAround(lines.toString());
            report.setValue(text.isEmpty() ? null : text);
        });
        for (ObservationEvent.Builder o : built) {
            // HL7 defines OBX-14, for an observation made on a specimen, as the specimen's collection time.
            if (o.getCollectedAt() == null) {
                o.setCollectedAt(o.getObservedAt());
            }
        }
        return built.stream().map(ObservationEvent.Builder::build).toList();
    }

    /**
     * The text without the line breaks it starts and ends with. By index: the pattern {@code \n+$} is tried from every
     * line break of a run and fails at each but the last, quadratic in the run's length (a report line of a megabyte
     * of {@code ~}, each a line break, would take a quarter of an hour).
     */
    static String withoutBlankLinesAround(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '\n') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '\n') {
            end--;
        }
        return text.substring(start, end);
    }

    /**
     * SPM-17 (specimen collection date/time, its start), for results whose OBR-7 is empty; null when SPM-17 is empty
     * or not a time, which validation does not check: a result is worth more without a collection time than
     * dead-lettered for a field it can do without.
     */
    private static StatedTime specimenCollected(Hl7Fields spm, ZoneId zone) {
        return stated(leniently(spm.value(17, 0, 1), zone));
    }

    /**
     * A time the events can do without (PV1-44, PV1-45, OBR-22, SPM-17), empty when it is not an HL7 time.
     * Validation answers AA for such a value (with a warning, or unchecked for SPM-17); refused here, it would send the
     * whole message to the dead letters after its sender was told it was delivered: a discharge or a result lost for a
     * time. Times that are refused (PID-7, PID-29, OBR-7, OBX-14) are refused by validation, before the AA.
     */
    private static Optional<Hl7Time.Stated> leniently(String value, ZoneId zone) {
        try {
            return Hl7Time.parse(value, zone);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** What names a line of text under its order: its value type, OBX-3 (code and system) and OBX-4. */
    private record LineName(String valueType, String code, String system, String subId) {
    }

    /**
     * The name under which a text line continues the observation of its order first named so, or null. Many systems
     * send a text report (radiology, histology, a long comment) one line per OBX, each with the report's OBX-3 and
     * OBX-4; HL7 names an observation by OBX-3 and OBX-4 under its OBR, so these lines are one observation. Mapped one
     * event per line, they became versions of one result and the view showed a single line of the report; they are
     * one event now, its value the lines in order (blank lines kept, for the report's layout). Only text types are
     * joined: two numbers under one name are not lines of anything.
     */
    private static LineName lineName(ObservationEvent.Builder line) {
        if (!TEXT_TYPES.contains(line.getValueType())) {
            return null;
        }
        return new LineName(line.getValueType(), line.getCode().getCode(), line.getCode().getSystem(),
                line.getSubId());
    }

    private ObservationEvent.Builder observation(Hl7Fields obr, Hl7Fields obx, Provenance provenance,
                                                 List<Identifier> identifiers, ZoneId zone) {
        String valueType = obx.value(2);
        String facility = provenance.getSendingFacility();
        ObservationEvent.Builder b = ObservationEvent.newBuilder()
                .setProvenance(provenance)
                .setPatientIdentifiers(identifiers)
                .setPlacerOrderNumber(nullIfEmpty(obr.value(2)))
                .setFillerOrderNumber(nullIfEmpty(obr.value(3)))
                .setOrderCode(coding(obr, 4, facility))
                .setSubId(nullIfEmpty(obx.value(4)))
                .setSetId(parseSetId(obx.value(1)))
                .setCode(Optional.ofNullable(coding(obx, 3, facility))
                        .orElseThrow(() -> new MappingException("OBX-3 observation identifier missing")))
                .setValueType(valueType.isEmpty() ? "ST" : valueType)
                .setUnits(nullIfEmpty(firstNonEmpty(obx.value(6, 0, 1), obx.value(6, 0, 2))))
                .setReferenceRange(nullIfEmpty(obx.value(7)))
                .setAbnormalFlags(repeated(obx, 8))
                .setStatus(obx.value(11))
                .setCollectedAt(stated(obr.value(7), zone))
                .setObservedAt(stated(obx.value(14), zone))
                .setReportedAt(stated(leniently(obr.value(22), zone)))
                .setNotes(new ArrayList<>());
        value(obx, b.getValueType(), b);
        return b;
    }

    /** OBX-5 by value type: a number for NM (and SN without a range), text for the rest. */
    private static void value(Hl7Fields obx, String valueType, ObservationEvent.Builder b) {
        switch (valueType) {
            case "NM" -> {
                String v = obx.value(5).trim();
                b.setValue(nullIfEmpty(v));
                b.setNumericValue(parseNumber(v));
            }
            case "SN" -> {
                String comparator = obx.value(5, 0, 1);
                String n1 = obx.value(5, 0, 2);
                String separator = obx.value(5, 0, 3);
                String n2 = obx.value(5, 0, 4);
                String text = comparator + n1 + separator + n2;
                b.setValue(nullIfEmpty(text));
                if ((comparator.isEmpty() || comparator.equals("=")) && separator.isEmpty()) {
                    b.setNumericValue(parseNumber(n1));
                }
            }
            case "CE", "CWE", "CNE", "CF" -> {
                String code = obx.value(5, 0, 1);
                String text = obx.value(5, 0, 2);
                b.setValue(nullIfEmpty(text.isEmpty() ? code : text));
            }
            case "ED" -> b.setValue(documentNote(obx));
            case "RP" -> {
                String pointer = obx.value(5, 0, 1);
                b.setValue(pointer.isEmpty() ? null : "Document held elsewhere: " + pointer);
            }
            default -> {
                List<String> parts = new ArrayList<>();
                for (int rep = 0, n = obx.repetitions(5); rep < n; rep++) {
                    parts.add(obx.value(5, rep, 1));
                }
                b.setValue(nullIfEmpty(FormattedText.plain(String.join("\n", parts))));
            }
        }
    }

    /**
     * What a clinician is told of an encapsulated document (a report as PDF, a scanned form): that there is one, its
     * kind and size. Its first component, which the general rule would show, is the source application and usually
     * empty, so a report with a PDF showed as a result without a value. The document itself (up to megabytes of
     * Base64) stays in the raw message: views and result rows carry what a list of results can show.
     */
    private static String documentNote(Hl7Fields obx) {
        String type = obx.value(5, 0, 2);
        String subtype = obx.value(5, 0, 3);
        String encoding = obx.value(5, 0, 4);
        String data = obx.value(5, 0, 5);
        if (data.isEmpty()) {
            return null;
        }
        String kind = type.isEmpty() && subtype.isEmpty() ? "unknown type"
                : (type + "/" + subtype).toLowerCase(Locale.ROOT);
        long bytes = "BASE64".equalsIgnoreCase(encoding) ? data.length() * 3L / 4 : data.length();
        // The digest tells two documents apart where kind and size agree, so that result deduplication, which
        // compares values, never takes one document for a copy of another.
        return "Document in the source message (" + kind + ", about " + Math.max(1, (bytes + 512) / 1024)
                + " KB, digest " + HexFormat.of().formatHex(sha256(data), 0, 4) + "); not shown here";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static Coding coding(Hl7Fields segment, int field, String facility) {
        String code = segment.value(field, 0, 1);
        if (code.isEmpty()) {
            return null;
        }
        String system = segment.value(field, 0, 3);
        return Coding.newBuilder()
                .setCode(code)
                .setDisplay(nullIfEmpty(segment.value(field, 0, 2)))
                .setSystem(codingSystem(system, facility))
                .build();
    }

    /** HL7 table 0396 names for LOINC and SNOMED become their URIs; a local code keeps its own system name. */
    static String codingSystem(String hl7System, String facility) {
        return switch (hl7System.toUpperCase(java.util.Locale.ROOT)) {
            case "LN", "LOINC" -> LOINC;
            case "SCT", "SNM", "SNOMED", "SNOMEDCT" -> SNOMED;
            case "" -> facility;
            default -> hl7System;
        };
    }

    private static StatedTime stated(String value, ZoneId zone) {
        return stated(Hl7Time.parse(value, zone));
    }

    private static StatedTime stated(Optional<Hl7Time.Stated> time) {
        return time.map(t -> StatedTime.newBuilder()
                .setInstant(t.instant())
                .setOffsetSeconds(t.offset().getTotalSeconds())
                .setOffsetAssumed(t.offsetAssumed())
                .build()).orElse(null);
    }

    private static List<String> repeated(Hl7Fields segment, int field) {
        List<String> out = new ArrayList<>();
        for (int rep = 0, n = segment.repetitions(field); rep < n; rep++) {
            String v = segment.value(field, rep, 1);
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    private static String noteText(Hl7Fields nte) {
        List<String> parts = new ArrayList<>();
        for (int rep = 0, n = nte.repetitions(3); rep < n; rep++) {
            String v = nte.value(3, rep, 1);
            if (!v.isEmpty()) {
                parts.add(v);
            }
        }
        return FormattedText.plain(String.join("\n", parts));
    }

    private static int parseSetId(String value) {
        try {
            return value.isEmpty() ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** HL7 NM: optional sign, digits, at most one decimal point. Not Java's grammar (no NaN, exponents or 5d). */
    static Double parseNumber(String value) {
        String v = value.trim();
        int start = !v.isEmpty() && (v.charAt(0) == '-' || v.charAt(0) == '+') ? 1 : 0;
        boolean digit = false;
        boolean point = false;
        for (int i = start; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return null;
            }
        }
        return digit ? Double.valueOf(v) : null;
    }

    private static PatientEventKind kind(String trigger) {
        if (MessageTypes.ADT_MERGE_TRIGGERS.contains(trigger)) {
            return PatientEventKind.MERGE;
        }
        return switch (trigger) {
            case "A24" -> PatientEventKind.LINK;
            case "A37" -> PatientEventKind.UNLINK;
            case "A01", "A06" -> PatientEventKind.ADMIT;
            case "A02", "A17" -> PatientEventKind.TRANSFER;
            case "A03" -> PatientEventKind.DISCHARGE;
            case "A04", "A05", "A14", "A28" -> PatientEventKind.REGISTER;
            case "A11", "A12", "A13", "A23", "A27", "A29", "A38", "A52", "A53" -> PatientEventKind.CANCEL;
            default -> PatientEventKind.UPDATE;
        };
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() || Hl7Message.isExplicitNull(s) ? null : s;
    }
}
