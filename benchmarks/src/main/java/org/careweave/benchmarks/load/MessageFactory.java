package org.careweave.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Builds realistic HL7 v2.4 messages for invented people, as a hospital PAS, a GP system and a laboratory send them:
 * ADT with EVN, PID (NHS number and local number), PD1, NK1 and PV1; ORU^R01 with ORC, OBR and 5–40 OBX; A40 with MRG.
 * GP practices send a tenth of their registrations without an NHS number, so that identity has demographics to
 * match. Not thread-safe: one factory per sending thread.
 */
public final class MessageFactory {

    public static final int MIN_OBX = 5;
    public static final int MAX_OBX = 40;
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final InventedPeople people;
    private final Random random;
    private final int markEvery;
    private long lastSecond = -1;
    private String now;

    /**
     * @param markEvery write the marker of every markEvery-th message (by marker number) into the patient's phone
     *                  number (PID-13), so that its view changes and shows it; 0: none, 1: every message
     */
    public MessageFactory(InventedPeople people, long seed, int markEvery) {
        this.people = people;
        this.random = new Random(seed);
        this.markEvery = markEvery;
    }

    /** A message of a type drawn from the realistic mix, for a random person. */
    public GeneratedMessage next(String controlId, long marker) {
        MessageKind kind = MessageKind.draw(random);
        return create(kind, people.random(random), controlId, marker,
                MIN_OBX + random.nextInt(MAX_OBX - MIN_OBX + 1));
    }

    public GeneratedMessage create(MessageKind kind, InventedPerson person, String controlId, long number,
                                   int obxCount) {
        long marker = markEvery > 0 && number >= 0 && number % markEvery == 0 ? number : -1;
        String text = switch (kind) {
            case ORU_R01 -> result(person, controlId, marker, obxCount);
            case ADT_A40 -> merge(person, controlId, marker);
            default -> adt(kind, person, controlId, marker);
        };
        return new GeneratedMessage(kind, controlId, marker,
                text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String adt(MessageKind kind, InventedPerson p, String controlId, long marker) {
        // Registrations and demographic updates (A28, A31) come from GP practices half the time.
        boolean fromPractice = (kind == MessageKind.ADT_A28 || kind == MessageKind.ADT_A31) && random.nextBoolean();
        String facility = fromPractice ? p.practice() : p.hospital();
        String localId = fromPractice ? p.practiceId() : p.hospitalMrn();
        boolean withNhsNumber = !fromPractice || random.nextInt(10) != 0;
        StringBuilder m = new StringBuilder(900);
        msh(m, fromPractice ? "GPSYS" : "PAS", facility, kind.msh9(), controlId);
        m.append("EVN|").append(kind.trigger()).append('|').append(now()).append('\r');
        pid(m, p, facility, fromPractice ? "PI" : "MR", localId, withNhsNumber, marker);
        m.append("PD1|||").append(p.practice()).append(" Surgery^^").append(p.practice())
                .append("|G9999998^Invented^Doctor\r");
        m.append("NK1|1|").append(p.familyName()).append("^Kin^^^Mx|NOK^Next of kin^HL70063|")
                .append(p.addressLine()).append("^^").append(p.city()).append("^^").append(p.postcode())
                .append("^GBR|07700 900000\r");
        String patientClass = switch (kind) {
            case ADT_A01 -> "I";
            case ADT_A04 -> "O";
            case ADT_A08 -> random.nextInt(4) == 0 ? "I" : "O";
            default -> "N";
        };
        pv1(m, p, facility, patientClass);
        return m.toString();
    }

    private String merge(InventedPerson p, String controlId, long marker) {
        StringBuilder m = new StringBuilder(700);
        msh(m, "PAS", p.hospital(), MessageKind.ADT_A40.msh9(), controlId);
        m.append("EVN|A40|").append(now()).append('\r');
        pid(m, p, p.hospital(), "MR", p.hospitalMrn(), true, marker);
        m.append("PD1|||").append(p.practice()).append(" Surgery^^").append(p.practice()).append('\r');
        // A duplicate record opened in error at the same hospital, now merged into the person's real record.
        m.append("MRG|").append(p.hospitalMrn().replace("RH", "RD")).append("^^^").append(p.hospital())
                .append("^MR\r");
        return m.toString();
    }

    private String result(InventedPerson p, String controlId, long marker, int obxCount) {
        StringBuilder m = new StringBuilder(400 + obxCount * 110);
        msh(m, "LAB", p.hospital(), MessageKind.ORU_R01.msh9(), controlId);
        pid(m, p, p.hospital(), "MR", p.hospitalMrn(), true, marker);
        pv1(m, p, p.hospital(), "O");
        String order = "ORD" + controlId;
        String collected = now();
        m.append("ORC|RE|P").append(order).append("|F").append(order).append("||CM\r");
        m.append("OBR|1|P").append(order).append("|F").append(order)
                .append("|PANEL^Laboratory panel^L|||").append(collected)
                .append("|||||||").append(collected).append("||C1234567^Invented^Requester||||||")
                .append(collected).append("||CH|F\r");
        int start = random.nextInt(Analyte.COMMON.length);
        for (int i = 0; i < obxCount; i++) {
            Analyte a = Analyte.COMMON[(start + i) % Analyte.COMMON.length];
            double value = a.low() + (a.high() - a.low()) * (random.nextDouble() * 1.3 - 0.15);
            String flag = value < a.low() ? "L" : value > a.high() ? "H" : "N";
            m.append("OBX|").append(i + 1).append("|NM|").append(a.code()).append('^').append(a.name())
                    .append("^LN||").append(String.format(Locale.ROOT, "%.2f", value)).append('|')
                    .append(a.units()).append('|').append(range(a)).append('|').append(flag)
                    .append("|||F|||").append(collected).append('\r');
            if (!"N".equals(flag) && random.nextInt(4) == 0) {
                m.append("NTE|1||Result outside the reference range; please review\r");
            }
        }
        return m.toString();
    }

    private void msh(StringBuilder m, String application, String facility, String type, String controlId) {
        m.append("MSH|^~\\&|").append(application).append('|').append(facility)
                .append("|CAREWEAVE|CAREWEAVE|").append(now()).append("||").append(type).append('|')
                .append(controlId).append("|P|2.4|||AL|NE|GBR\r");
    }

    private void pid(StringBuilder m, InventedPerson p, String facility, String idType, String localId,
                     boolean withNhsNumber, long marker) {
        m.append("PID|1||");
        if (withNhsNumber) {
            m.append(p.nhsNumber()).append("^^^NHS^NH~");
        }
        m.append(localId).append("^^^").append(facility).append('^').append(idType)
                .append("||").append(p.familyName()).append('^').append(p.givenName()).append("^^^")
                .append("F".equals(p.sex()) ? "Ms" : "Mr").append("||").append(date(p.birthDate())).append('|')
                .append(p.sex()).append("|||").append(p.addressLine()).append("^^").append(p.city()).append("^^")
                .append(p.postcode()).append("^GBR||").append(p.phone());
        if (marker >= 0) {
            m.append(" #").append(marker);
        }
        m.append("^PRN^PH|||||||||||||||||||01\r");
    }

    private void pv1(StringBuilder m, InventedPerson p, String facility, String patientClass) {
        String[] f = new String[45];
        f[1] = "1";
        f[2] = patientClass;
        f[3] = "N".equals(patientClass) ? "" : "WARD" + (1 + p.index() % 12) + "^BED" + (1 + p.index() % 20)
                + "^^" + facility;
        f[7] = "C1234567^Invented^Consultant";
        f[10] = "MED";
        f[19] = "N".equals(patientClass) ? "" : "V" + p.hospitalMrn() + "^^^" + facility + "^VN";
        f[44] = "N".equals(patientClass) ? "" : now();
        m.append("PV1");
        for (int i = 1; i < f.length; i++) {
            m.append('|');
            if (f[i] != null) {
                m.append(f[i]);
            }
        }
        m.append('\r');
    }

    private static String range(Analyte a) {
        return String.format(Locale.ROOT, "%s-%s", trim(a.low()), trim(a.high()));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String date(LocalDate d) {
        return String.format(Locale.ROOT, "%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** The current time in HL7 form with a +0000 offset, formatted once a second. */
    private String now() {
        long second = System.currentTimeMillis() / 1000;
        if (second != lastSecond) {
            lastSecond = second;
            now = HL7_TIME.format(Instant.ofEpochSecond(second)) + "+0000";
        }
        return now;
    }
}
