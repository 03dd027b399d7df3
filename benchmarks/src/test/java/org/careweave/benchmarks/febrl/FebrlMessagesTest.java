package org.careweave.benchmarks.febrl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.careweave.events.AckCode;
import org.careweave.events.Identifier;
import org.careweave.events.PatientEvent;
import org.careweave.events.RawMessage;
import org.careweave.events.RawMessageRef;
import org.careweave.events.Transport;
import org.careweave.ingest.mapping.RawMessageMapper;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.junit.jupiter.api.Test;

class FebrlMessagesTest {

    private final FebrlRecord record = new FebrlRecord("rec-12-dup-3", "testa", "o'sampleson", "7",
            "example place", "unit 2", "testville", "2119", "sa", "19560409", "1804974");

    @Test
    void registrationCarriesTheCounterNotTheRecId() {
        String text = new String(FebrlMessages.registration(record, "FEBRLA", 41, false), StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("rec-12").doesNotContain("1804974").contains("PID|1||41^^^FEBRLA^PI||");
    }

    @Test
    void registrationIsAcceptedAndMapsToDemographicsWithoutNhsNumber() {
        byte[] bytes = FebrlMessages.registration(record, "FEBRLB", 7, true);
        Verdict verdict = new MessageValidator(MessageValidator.Rules.defaults()).validate(bytes);
        assertThat(verdict.ackCode()).as(verdict.issues().toString()).isEqualTo(AckCode.AA);

        PatientEvent event = new RawMessageMapper(ZoneId.of("UTC"), Map.of()).map(raw(bytes),
                RawMessageRef.newBuilder().setMessageId("m").build()).patients().get(0).event();
        assertThat(event.getNhsNumber()).isNull();
        assertThat(event.getIdentifiers()).extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FEBRLB", "7"),
                        org.assertj.core.groups.Tuple.tuple(FebrlMessages.SOC_SEC_AUTHORITY, "1804974"));
        assertThat(event.getName().getFamily()).isEqualTo("o'sampleson");
        assertThat(event.getName().getGiven()).containsExactly("testa");
        assertThat(event.getBirthDate()).isEqualTo(LocalDate.of(1956, 4, 9));
        assertThat(event.getAddress().getLines()).containsExactly("7 example place", "unit 2");
        assertThat(event.getAddress().getCity()).isEqualTo("testville");
        assertThat(event.getAddress().getPostcode()).isEqualTo("2119");
    }

    @Test
    void aDateOfBirthThatIsNoCalendarDateIsLeftOut() {
        FebrlRecord corrupt = new FebrlRecord("rec-1-dup-0", "a", "b", null, null, null, null, null, null,
                "19658630", null);
        byte[] bytes = FebrlMessages.registration(corrupt, "FEBRLA", 1, false);
        assertThat(new MessageValidator(MessageValidator.Rules.defaults()).validate(bytes).ackCode())
                .isEqualTo(AckCode.AA);
    }

    @Test
    void delimitersInValuesAreEscaped() {
        assertThat(FebrlMessages.escape("a|b^c~d\\e&f")).isEqualTo("a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f");
    }

    private static RawMessage raw(byte[] bytes) {
        return RawMessage.newBuilder().setMessageId("m").setSendingFacility("FEBRLB").setMessageType("ADT^A28")
                .setControlId("c").setReceivedAt(Instant.now()).setPayload(ByteBuffer.wrap(bytes))
                .setCharset("ISO-8859-1").setTransport(Transport.MLLP).setReceivedBy("test")
                .setAckCode(AckCode.AA).setIssues(List.of()).build();
    }
}
