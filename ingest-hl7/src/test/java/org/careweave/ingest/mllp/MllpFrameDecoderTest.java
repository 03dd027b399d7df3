package org.careweave.ingest.mllp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.careweave.events.AckCode;
import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class MllpFrameDecoderTest {

    private static final byte SB = 0x0B;
    private static final byte EB = 0x1C;
    private static final byte CR = 0x0D;

    private static final byte[] ADT = Hl7Fixtures.bytes("adt_a01.hl7");
    private static final byte[] ORU = Hl7Fixtures.bytes("oru_r01_hba1c.hl7");
    private static final byte[] UTF8 = Hl7Fixtures.bytes("oru_r01_v282.hl7");

    @Test
    void decodesOneFrame() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(frame(ADT)));

        assertThat(messages(channel)).containsExactly(ADT);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void decodesSeveralFramesInOneBuffer() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(ADT), frame(ORU), frame(UTF8))));

        assertThat(messages(channel)).containsExactly(ADT, ORU, UTF8);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void decodesOneFrameSplitByteByByte() {
        EmbeddedChannel channel = channel(1 << 20);
        MllpFrameDecoder decoder = channel.pipeline().get(MllpFrameDecoder.class);
        byte[] wire = concat(frame(ORU), frame(ADT));

        List<Object> seen = new ArrayList<>();
        for (int i = 0; i < wire.length; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(wire, i, 1));
            if (i == 0) {
                assertThat(decoder.frameStartedNanos()).isNotNegative();
            }
            for (Object o; (o = channel.readInbound()) != null; ) {
                seen.add(o);
                // Nothing comes out before the CR after the end block has arrived.
                assertThat(i).isIn(frame(ORU).length - 1, wire.length - 1);
            }
        }

        assertThat(seen).hasSize(2);
        assertThat(((MllpFrame.Message) seen.get(0)).payload()).isEqualTo(ORU);
        assertThat(((MllpFrame.Message) seen.get(1)).payload()).isEqualTo(ADT);
        assertThat(decoder.frameStartedNanos()).isEqualTo(-1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void decodesFramesSplitAtEveryPossiblePoint() {
        byte[] wire = concat(frame(ADT), frame(UTF8));
        for (int cut = 1; cut < wire.length; cut++) {
            EmbeddedChannel channel = channel(1 << 20);

            channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(wire, cut, wire.length - cut));

            assertThat(messages(channel)).as("cut at %d", cut).containsExactly(ADT, UTF8);
            assertThat(channel.finish()).isFalse();
        }
    }

    @Test
    void toleratesCarriageReturnsAndLineFeedsBetweenFrames() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {'\r', '\n'}, frame(ADT),
                new byte[] {'\n', '\r', '\n'}, frame(ORU), new byte[] {'\r', '\n'})));

        assertThat(messages(channel)).containsExactly(ADT, ORU);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void acceptsAnEndBlockWithoutItsCarriageReturnWhenAnotherFrameFollows() {
        EmbeddedChannel channel = channel(1 << 20);
        byte[] lenient = concat(new byte[] {SB}, ADT, new byte[] {EB});

        channel.writeInbound(Unpooled.wrappedBuffer(concat(lenient, frame(ORU))));

        assertThat(messages(channel)).containsExactly(ADT, ORU);
    }

    @Test
    void garbageOutsideAFrameIsUnframedThenNothingMore() {
        EmbeddedChannel channel = channel(1 << 20);
        byte[] garbage = Hl7Fixtures.load("garbage.txt").getBytes(StandardCharsets.ISO_8859_1);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(garbage, frame(ADT))));
        channel.writeInbound(Unpooled.wrappedBuffer(frame(ORU)));

        Object first = channel.readInbound();
        assertThat(first).isInstanceOf(MllpFrame.Unframed.class);
        MllpFrame.Unframed unframed = (MllpFrame.Unframed) first;
        assertThat(unframed.reason()).contains("outside an MLLP frame");
        assertThat(new String(unframed.keptBytes(), StandardCharsets.ISO_8859_1)).startsWith("This is not an HL7");
        assertThat(next(channel)).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void garbageAfterAGoodFrameComesAfterIt() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(ADT), ADT)));

        assertThat(((MllpFrame.Message) channel.readInbound()).payload()).isEqualTo(ADT);
        assertThat(next(channel)).isInstanceOf(MllpFrame.Unframed.class);
        assertThat(next(channel)).isNull();
    }

    @Test
    void anOversizeFrameIsUnframedAsSoonAsItCrossesTheLimit() {
        int max = 100;
        EmbeddedChannel channel = channel(max);
        byte[] big = new byte[1_000];
        Arrays.fill(big, (byte) 'x');

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {SB}));
        channel.writeInbound(Unpooled.wrappedBuffer(big, 0, max));
        assertThat(next(channel)).as("exactly the maximum is still allowed").isNull();

        channel.writeInbound(Unpooled.wrappedBuffer(big, max, 1));
        Object refused = channel.readInbound();
        assertThat(refused).isInstanceOf(MllpFrame.Unframed.class);
        assertThat(((MllpFrame.Unframed) refused).reason()).contains("larger than the maximum of 100 bytes");
        assertThat(((MllpFrame.Unframed) refused).keptBytes()).hasSize(max + 1);

        // The rest of the oversize frame, and anything after it, is dropped.
        channel.writeInbound(Unpooled.wrappedBuffer(concat(Arrays.copyOfRange(big, max + 1, big.length),
                new byte[] {EB, CR}, frame("MSH|^~\\&|X".getBytes(StandardCharsets.ISO_8859_1)))));
        assertThat(next(channel)).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anOversizeFrameArrivingWholeIsUnframedWithAPrefix() {
        EmbeddedChannel channel = channel(ADT.length - 1);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(ADT), frame(ORU))));

        Object refused = channel.readInbound();
        assertThat(refused).isInstanceOf(MllpFrame.Unframed.class);
        assertThat(((MllpFrame.Unframed) refused).reason()).contains("larger than the maximum");
        assertThat(next(channel)).isNull();
    }

    @Test
    void aFrameOfExactlyTheMaximumIsAcceptedHoweverItArrives() {
        EmbeddedChannel whole = channel(ADT.length);
        whole.writeInbound(Unpooled.wrappedBuffer(frame(ADT)));
        assertThat(messages(whole)).containsExactly(ADT);

        // The end block can arrive in one read and its CR in the next.
        EmbeddedChannel split = channel(ADT.length);
        byte[] wire = frame(ADT);
        split.writeInbound(Unpooled.wrappedBuffer(wire, 0, wire.length - 1));
        split.writeInbound(Unpooled.wrappedBuffer(wire, wire.length - 1, 1));
        assertThat(messages(split)).containsExactly(ADT);
    }

    @Test
    void onlyTheFirstBytesOfAHugeFrameAreKept() {
        EmbeddedChannel channel = channel(10);
        byte[] huge = new byte[MllpFrameDecoder.KEPT_PREFIX_BYTES * 2];
        Arrays.fill(huge, (byte) 'y');

        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {SB}, huge)));

        MllpFrame.Unframed refused = channel.readInbound();
        assertThat(refused.keptBytes()).hasSize(MllpFrameDecoder.KEPT_PREFIX_BYTES);
    }

    @Test
    void aConnectionClosedMidFrameLeavesAnUnframedPartialMessage() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(ADT), new byte[] {SB},
                Arrays.copyOf(ORU, 40))));
        assertThat(((MllpFrame.Message) channel.readInbound()).payload()).isEqualTo(ADT);
        assertThat(next(channel)).isNull();

        channel.close();

        MllpFrame.Unframed partial = channel.readInbound();
        assertThat(partial.reason()).contains("closed before the end");
        assertThat(partial.keptBytes()).isEqualTo(Arrays.copyOf(ORU, 40));
        assertThat(next(channel)).isNull();
    }

    @Test
    void aConnectionClosedBetweenFramesLeavesNothing() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(ADT), new byte[] {'\r', '\n'})));
        channel.close();

        assertThat(messages(channel)).containsExactly(ADT);
    }

    @Test
    void aConnectionClosedAfterGarbageReportsItOnce() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        channel.close();

        assertThat(next(channel)).isInstanceOf(MllpFrame.Unframed.class);
        assertThat(next(channel)).isNull();
    }

    /**
     * A sender that dropped an end block: {@code SB M1 SB M2 EB CR}. The second start block is payload, as any byte
     * inside a frame is, so the frame is one payload holding both messages; validation refuses it (AR, one message per
     * frame) rather than answering AA for the first and never answering the second.
     */
    @Test
    void aFrameWhoseEndBlockWasDroppedIsOnePayloadThatValidationRefusesAsTwoMessages() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(new byte[] {SB}, ORU, frame(ADT))));

        List<byte[]> payloads = messages(channel);
        assertThat(payloads).containsExactly(concat(ORU, new byte[] {SB}, ADT));
        Verdict verdict = new MessageValidator(MessageValidator.Rules.defaults()).validate(payloads.get(0));
        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.location()).isEqualTo("MSH[2]");
            assertThat(i.text()).contains("one message per frame");
        });
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anEmptyFrameIsAnEmptyMessage() {
        EmbeddedChannel channel = channel(1 << 20);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {SB, EB, CR}));

        assertThat(messages(channel)).containsExactly(new byte[0]);
    }

    private static EmbeddedChannel channel(int maxMessageBytes) {
        return new EmbeddedChannel(new MllpFrameDecoder(maxMessageBytes));
    }

    /** The next thing decoded, or null; typed as Object so that AssertJ picks its general assertions. */
    private static Object next(EmbeddedChannel channel) {
        return channel.readInbound();
    }

    /** Reads everything decoded so far, which must all be messages. */
    private static List<byte[]> messages(EmbeddedChannel channel) {
        List<byte[]> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            assertThat(o).isInstanceOf(MllpFrame.Message.class);
            out.add(((MllpFrame.Message) o).payload());
        }
        return out;
    }

    private static byte[] frame(byte[] payload) {
        return concat(new byte[] {SB}, payload, new byte[] {EB, CR});
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
