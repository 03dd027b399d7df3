package org.careweave.ingest.ack;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.careweave.events.AckCode;
import org.careweave.ingest.hl7.Hl7Charsets;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.validation.Issue;
import org.careweave.ingest.validation.Verdict;

/**
 * Builds original-mode ACK messages (MSH, MSA, ERR). Written by hand rather than with HAPI's generateACK because
 * an ACK must be produced for messages HAPI cannot parse at all (no MSH, bad encoding characters), and this is on
 * every message's latency path.
 */
public final class AckBuilder {

    private static final DateTimeFormatter HL7_TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final String DEFAULT_VERSION = "2.5";

    private final String application;
    private final String facility;
    private final ZoneId zone;
    private final AtomicLong sequence = new AtomicLong();
    private final String controlIdPrefix;
    /** MSH-7 of the last ACK: formatting a timestamp costs more than the rest of the ACK; it changes once a second. */
    private volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    private record Stamp(long epochSecond, String text) {
    }

    public AckBuilder(String application, String facility, ZoneId zone) {
        this.application = application;
        this.facility = facility;
        this.zone = zone;
        // Locale.ROOT: in a Turkish locale "i" would become a dotted capital I, which is not ASCII.
        this.controlIdPrefix = "CW" + Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT) + "-";
    }

    /** The ACK for a verdict; when a write failed, {@code override} replaces the verdict's code and issues. */
    public String build(Verdict verdict, AckCode code, List<Issue> issues) {
        MshHeader msh = verdict.msh();
        char f = msh == null ? '|' : msh.fieldSeparator();
        String enc = msh == null ? "^~\\&" : msh.encodingCharacters();
        char component = enc.charAt(0);
        String version = msh == null || msh.version().isEmpty() ? DEFAULT_VERSION : msh.version();
        String trigger = msh == null ? "" : msh.triggerEvent();
        StringBuilder b = new StringBuilder(256);
        b.append("MSH").append(f).append(enc)
                .append(f).append(escape(msh == null || msh.receivingApplication().isEmpty()
                        ? application : msh.receivingApplication(), f, enc))
                .append(f).append(escape(msh == null || msh.receivingFacility().isEmpty()
                        ? facility : msh.receivingFacility(), f, enc))
                .append(f).append(msh == null ? "" : escape(msh.sendingApplication(), f, enc))
                .append(f).append(msh == null ? "" : escape(msh.sendingFacility(), f, enc))
                .append(f).append(now())
                .append(f)
                .append(f).append("ACK");
        if (!trigger.isEmpty()) {
            b.append(component).append(escape(trigger, f, enc)).append(component).append("ACK");
        }
        b.append(f).append(controlIdPrefix).append(sequence.incrementAndGet())
                .append(f).append(msh == null || msh.processingId().isEmpty() ? "P" : escape(msh.processingId(), f, enc))
                .append(f).append(escape(version, f, enc));
        if (verdict.charset() != null && !Hl7Charsets.msh18(verdict.charset()).isEmpty() && msh != null
                && !msh.characterSet().isEmpty()) {
            b.append(f).append(f).append(f).append(f).append(f).append(f).append(Hl7Charsets.msh18(verdict.charset()));
        }
        b.append('\r');
        b.append("MSA").append(f).append(code.name())
                .append(f).append(msh == null ? "" : escape(msh.controlId(), f, enc));
        String text = issues.stream().filter(i -> i.severity() == Issue.Severity.ERROR).findFirst()
                .map(Issue::text).orElse("");
        if (!text.isEmpty()) {
            b.append(f).append(escape(text, f, enc));
        }
        b.append('\r');
        boolean before25 = version.compareTo("2.5") < 0;
        char subcomponent = enc.length() > 3 ? enc.charAt(3) : '&';
        for (Issue issue : issues) {
            Location location = Location.of(issue.location());
            b.append("ERR").append(f);
            if (before25) {
                // Senders before 2.5 read only ERR-1 (ELD): segment^sequence^field position^code&text&table. Every
                // component keeps its place, empty or not, so that the code is always the fourth.
                b.append(escape(location.segment(), f, enc)).append(component).append(location.sequence())
                        .append(component).append(location.field()).append(component)
                        .append(issue.code()).append(subcomponent)
                        .append(escape(issue.text(), f, enc)).append(subcomponent).append("HL70357");
            }
            b.append(f).append(location.erl(component, f, enc))
                    .append(f).append(issue.code()).append(component)
                    .append(escape(Issue.ErrorCode.textOf(issue.code()), f, enc)).append(component).append("HL70357")
                    .append(f).append(issue.severity() == Issue.Severity.ERROR ? "E" : "W")
                    // ERR-5 to ERR-7 empty; the text is ERR-8, the user message (ERR-9 is a coded field).
                    .append(f).append(f).append(f)
                    .append(f).append(escape(issue.text(), f, enc))
                    .append('\r');
        }
        return b.toString();
    }

    private String now() {
        Instant now = Instant.now();
        Stamp stamp = lastStamp;
        if (stamp.epochSecond() != now.getEpochSecond()) {
            stamp = new Stamp(now.getEpochSecond(), ZonedDateTime.ofInstant(now, zone).format(HL7_TS));
            lastStamp = stamp;
        }
        return stamp.text();
    }

    /** Where an issue is, from a location like OBX[2]-11, PID-3 or PID; all empty for none. */
    private record Location(String segment, String sequence, String field) {

        static Location of(String location) {
            if (location.isEmpty()) {
                return new Location("", "", "");
            }
            String segment = location;
            String sequence = "1";
            String field = "";
            int dash = location.indexOf('-');
            if (dash > 0) {
                segment = location.substring(0, dash);
                field = location.substring(dash + 1);
            }
            int bracket = segment.indexOf('[');
            if (bracket > 0) {
                sequence = segment.substring(bracket + 1, segment.indexOf(']'));
                segment = segment.substring(0, bracket);
            }
            return new Location(segment, sequence, field);
        }

        /** ERR-2 (ERL): segment^sequence^field, trailing empty components left out; empty for no location. */
        String erl(char component, char f, String enc) {
            if (segment.isEmpty()) {
                return "";
            }
            return escape(segment, f, enc) + component + sequence + (field.isEmpty() ? "" : component + field);
        }
    }

    /** HL7 escaping of separators in free text (table 0396 style \F\ \S\ \T\ \R\ \E\). */
    static String escape(String text, char f, String enc) {
        char component = enc.charAt(0);
        char repetition = enc.length() > 1 ? enc.charAt(1) : '~';
        char escape = enc.length() > 2 ? enc.charAt(2) : '\\';
        char sub = enc.length() > 3 ? enc.charAt(3) : '&';
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == escape) {
                b.append(escape).append('E').append(escape);
            } else if (c == f) {
                b.append(escape).append('F').append(escape);
            } else if (c == component) {
                b.append(escape).append('S').append(escape);
            } else if (c == sub) {
                b.append(escape).append('T').append(escape);
            } else if (c == repetition) {
                b.append(escape).append('R').append(escape);
            } else if (c == '\r' || c == '\n') {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
