package org.careweave.processors;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says which record Kafka refused as too large, and counts it; the record still fails its task.
 *
 * <p>Why it fails: under exactly-once a record refused as too large leaves the producer's transaction unable to
 * commit (every later send of it fails with the same error), so it cannot be skipped; and skipping would leave a
 * person's view or state behind without anyone knowing. The processors stop instead ({@code KafkaRefusals}), and
 * start again where they stopped once the limit is raised. What this handler adds is the person: Kafka Streams'
 * own error names the topic only, and an operator needs to know that one person's record (not the cluster) is the
 * cause. The key is logged only when it is a careweave person id; other keys may hold NHS numbers.
 *
 * <p>Kafka Streams builds its handler from a class name, so the count lives here per application id, where the
 * service that configured the application reads it.
 */
public final class OversizedRecords implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OversizedRecords.class);
    private static final Map<String, AtomicLong> TOO_LARGE = new ConcurrentHashMap<>();
    /** careweave's person ids are opaque digests: the only keys logged, as other keys may hold NHS numbers. */
    private static final String PERSON_ID_PREFIX = "cwp-";
    /**
     * No limit is below Kafka's default of 1 MiB (processors.max.record.bytes refuses less), and a topic's limit
     * counts the batch around the record too: a record this large may be refused, a smaller one was not the cause.
     */
    private static final int SMALLEST_LIMIT_NEAR = 1024 * 1024 - 64 * 1024;

    private AtomicLong tooLarge = new AtomicLong();

    /** Records refused as too large to the application with this id since this JVM started. */
    public static long refused(String applicationId) {
        return counter(applicationId).get();
    }

    private static AtomicLong counter(String applicationId) {
        return TOO_LARGE.computeIfAbsent(applicationId, id -> new AtomicLong());
    }

    @Override
    public void configure(Map<String, ?> configs) {
        tooLarge = counter(String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG)));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        int bytes = (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length);
        // The transaction's later records fail with the same exception; only a record near a limit is the cause.
        if (exception instanceof RecordTooLargeException && bytes >= SMALLEST_LIMIT_NEAR) {
            long count = tooLarge.incrementAndGet();
            log.error("A record too large for Kafka ({} bytes, {} so far): topic {}, {}, task {}", bytes, count,
                    record.topic(), describeKey(record.key()), context.taskId());
        }
        return Response.fail();
    }

    private static String describeKey(byte[] key) {
        if (key == null) {
            return "no key";
        }
        String text = new String(key, StandardCharsets.UTF_8);
        return text.startsWith(PERSON_ID_PREFIX) && text.length() < 64 ? "person " + text : "key not logged";
    }
}
