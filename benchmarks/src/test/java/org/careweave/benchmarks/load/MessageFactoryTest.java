package org.careweave.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import org.careweave.benchmarks.stream.RawRecords;
import org.careweave.events.AckCode;
import org.careweave.events.RawMessageRef;
import org.careweave.ingest.mapping.MappedEvents;
import org.careweave.ingest.mapping.RawMessageMapper;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {

    private final InventedPeople people = InventedPeople.of(1_000, 1);
    private final MessageValidator validator = new MessageValidator(MessageValidator.Rules.defaults());
    private final RawMessageMapper mapper = new RawMessageMapper(ZoneId.of("Europe/London"), Map.of());

    @Test
    void everyKindIsAcceptedWithoutIssuesAndMapsToEvents() {
        MessageFactory factory = new MessageFactory(people, 3, 1);
        for (MessageKind kind : MessageKind.values()) {
            for (int i = 0; i < 50; i++) {
                GeneratedMessage m = factory.create(kind, people.get(i), "T" + kind + i, i, 5 + i % 36);
                Verdict verdict = validator.validate(m.bytes());
                assertThat(verdict.ackCode()).as(kind + " " + verdict.issues()).isEqualTo(AckCode.AA);
                assertThat(verdict.issues()).as(kind.name()).isEmpty();
                MappedEvents events = mapper.map(RawRecords.of(m, Instant.now()),
                        RawMessageRef.newBuilder().setMessageId("x").build());
                assertThat(events.patients()).as(kind.name()).hasSize(1);
                assertThat(events.patients().get(0).event().getPhone()).endsWith("#" + i);
                if (kind == MessageKind.ORU_R01) {
                    assertThat(events.observations()).hasSize(5 + i % 36);
                }
            }
        }
    }

    @Test
    void marksOnlyEveryNthMessageWhenAsked() {
        MessageFactory factory = new MessageFactory(people, 4, 10);
        for (int i = 0; i < 100; i++) {
            GeneratedMessage m = factory.create(MessageKind.ADT_A31, people.get(i), "M" + i, i, 5);
            String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
            if (i % 10 == 0) {
                assertThat(m.marker()).isEqualTo(i);
                assertThat(text).contains(" #" + i + "^PRN");
            } else {
                assertThat(m.marker()).isEqualTo(-1);
                assertThat(text).doesNotContain(" #");
            }
        }
    }

    @Test
    void mixFollowsTheIssuesShares() {
        Map<MessageKind, Integer> counts = new EnumMap<>(MessageKind.class);
        Random random = new Random(5);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts.merge(MessageKind.draw(random), 1, Integer::sum);
        }
        assertThat(counts.get(MessageKind.ADT_A08) / (double) n).isBetween(0.47, 0.485);
        assertThat(counts.get(MessageKind.ADT_A31) / (double) n).isBetween(0.295, 0.305);
        assertThat(counts.get(MessageKind.ADT_A04) / (double) n).isBetween(0.165, 0.175);
        assertThat(counts.get(MessageKind.ORU_R01) / (double) n).isBetween(0.037, 0.043);
        assertThat(counts.get(MessageKind.ADT_A01) / (double) n).isBetween(0.008, 0.012);
        assertThat(counts).containsKeys(MessageKind.ADT_A28, MessageKind.ADT_A40);
    }

    @Test
    void resultsCarryFiveToFortyObservations() {
        MessageFactory factory = new MessageFactory(people, 9, 0);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < 3_000; i++) {
            GeneratedMessage m = factory.next("R" + i, i);
            if (m.kind() == MessageKind.ORU_R01) {
                int obx = new String(m.bytes(), StandardCharsets.ISO_8859_1).split("\rOBX\\|", -1).length - 1;
                min = Math.min(min, obx);
                max = Math.max(max, obx);
            }
        }
        assertThat(min).isGreaterThanOrEqualTo(MessageFactory.MIN_OBX);
        assertThat(max).isLessThanOrEqualTo(MessageFactory.MAX_OBX).isGreaterThan(30);
    }
}
