package org.careweave.processors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Keeps the size of the largest record the processors have written, so that a person whose view or state nears the
 * limit ({@code processors.max.record.bytes}) is seen before the processors stop on them (see
 * {@link OversizedRecords}). Kafka Streams hands its producer serialised records, so the size is read, not worked
 * out: one length per record.
 *
 * <p>Kafka builds interceptors from a class name, so the largest size lives here per application id, which the
 * processors pass to their producer as {@value #APPLICATION_ID_CONFIG}.
 */
public final class RecordSizes implements ProducerInterceptor<byte[], byte[]> {

    /** The producer setting naming the application whose records are measured. */
    public static final String APPLICATION_ID_CONFIG = "careweave.application.id";

    private static final Map<String, LongAccumulator> LARGEST = new ConcurrentHashMap<>();

    private LongAccumulator largest = new LongAccumulator(Math::max, 0);

    /** Bytes (key and value) of the largest record the application with this id has written since this JVM began. */
    public static long largest(String applicationId) {
        return accumulator(applicationId).get();
    }

    private static LongAccumulator accumulator(String applicationId) {
        return LARGEST.computeIfAbsent(applicationId, id -> new LongAccumulator(Math::max, 0));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object application = configs.get(APPLICATION_ID_CONFIG);
        if (application != null) {
            largest = accumulator(application.toString());
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        largest.accumulate((record.key() == null ? 0L : record.key().length)
                + (record.value() == null ? 0L : record.value().length));
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }
}
