package org.careweave.ingest.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * Parses with HAPI's generic model, so that any message structure a sender really uses parses (real feeds often
 * deviate from the standard's group structure) and versions HAPI has no structures for still parse: 2.7.x and 2.8.x
 * are read with the nearest version HAPI knows, since the generic model does not depend on it.
 */
public final class Hl7Parser {

    /**
     * Per thread (HAPI's parser is not thread-safe), one parser per character set: hexadecimal escapes are bytes in
     * the message's charset ({@link Hl7Escaping}), and a message has one of the few table 0211 names.
     */
    private static final ThreadLocal<Map<Charset, VersionTolerantParser>> PARSERS =
            ThreadLocal.withInitial(HashMap::new);

    private static VersionTolerantParser parser(Charset charset) {
        return PARSERS.get().computeIfAbsent(charset, c -> {
            HapiContext context = new DefaultHapiContext();
            context.setModelClassFactory(new GenericModelClassFactory());
            context.setValidationContext(ValidationContextFactory.noValidation());
            context.getParserConfiguration().setEscaping(new Hl7Escaping(c));
            return new VersionTolerantParser(context);
        });
    }

    private Hl7Parser() {
    }

    /**
     * The HAPI version to parse a stated MSH-12 version with; empty when the version is outside 2.2–2.8.x.
     */
    public static Optional<String> parseVersion(String stated) {
        if (stated == null || stated.isBlank()) {
            return Optional.empty();
        }
        String v = stated.trim();
        if (Version.supportsVersion(v) && !v.equals("2.1")) {
            return Optional.of(v);
        }
        if (v.startsWith("2.8.")) {
            return Optional.of("2.8.1");
        }
        if (v.startsWith("2.7.")) {
            return Optional.of("2.7.1");
        }
        if (v.startsWith("2.5.")) {
            return Optional.of("2.5.1");
        }
        if (v.startsWith("2.3.")) {
            return Optional.of("2.3.1");
        }
        for (String base : new String[] {"2.2", "2.4", "2.6"}) {
            if (v.startsWith(base + ".")) {
                return Optional.of(base);
            }
        }
        return Optional.empty();
    }

    /**
     * As {@link #parse(String, String, Charset)}, in the charset MSH-18 of the text names, else ISO-8859-1 (the
     * listener's default unless configured otherwise): for a caller that no longer has the charset the payload was
     * read in.
     */
    public static Hl7Message parse(String text, String hapiVersion) throws HL7Exception {
        Charset charset = MshReader.read(text).flatMap(msh -> Hl7Charsets.fromMsh18(msh.characterSet()))
                .orElse(StandardCharsets.ISO_8859_1);
        return parse(text, hapiVersion, charset);
    }

    /**
     * @param charset the charset the payload was read in: hexadecimal escapes ({@code \Xhh..\}) are bytes in it
     * @throws HL7Exception with HAPI's reason when the text is not parseable HL7
     */
    public static Hl7Message parse(String text, String hapiVersion, Charset charset) throws HL7Exception {
        try {
            return new Hl7Message(parser(charset).parseAs(text, hapiVersion));
        } catch (RuntimeException e) {
            // HAPI's generic parser throws NullPointerException on some text that is not HL7; callers (the mapper in
            // a Streams thread) rely on this method failing with HL7Exception only.
            throw new HL7Exception("HAPI parser failed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static final class VersionTolerantParser extends PipeParser {
        VersionTolerantParser(HapiContext context) {
            super(context);
        }

        Message parseAs(String text, String version) throws HL7Exception {
            return doParse(text, version);
        }
    }
}
