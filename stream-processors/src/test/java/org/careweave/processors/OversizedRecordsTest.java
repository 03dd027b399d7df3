package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class OversizedRecordsTest {

    private static final ErrorHandlerContext TASK = new ErrorHandlerContext() {
        public String topic() { return "in"; }
        public int partition() { return 0; }
        public long offset() { return 0; }
        public Headers headers() { return new RecordHeaders(); }
        public String processorNodeId() { return "views"; }
        public TaskId taskId() { return new TaskId(2, 0); }
        public long timestamp() { return 0; }
        public byte[] sourceRawKey() { return null; }
        public byte[] sourceRawValue() { return null; }
    };

    @Test
    void aRecordTooLargeIsCountedForItsApplicationAndStillFails() {
        OversizedRecords handler = new OversizedRecords();
        handler.configure(Map.of("application.id", "oversized-test-a"));

        ProductionExceptionHandler.Response response = handler.handleError(TASK,
                record("cwp-0123456789abcdef01234567", 2_000_000), new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(OversizedRecords.refused("oversized-test-a")).isEqualTo(1);
        assertThat(OversizedRecords.refused("oversized-test-b")).isZero();
    }

    /** The transaction's later records fail with the same exception: they are not what was too large. */
    @Test
    void smallRecordsFailingWithTheSameTransactionAreNotCounted() {
        OversizedRecords handler = new OversizedRecords();
        handler.configure(Map.of("application.id", "oversized-test-c"));

        handler.handleError(TASK, record("cwp-0123456789abcdef01234567", 300), new RecordTooLargeException("x"));
        ProductionExceptionHandler.Response other = handler.handleError(TASK, record("k", 5_000_000),
                new TimeoutException("no leader"));

        assertThat(OversizedRecords.refused("oversized-test-c")).isZero();
        assertThat(other.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    private static ProducerRecord<byte[], byte[]> record(String key, int valueBytes) {
        return new ProducerRecord<>("careweave-processors-person-results-changelog", key.getBytes(),
                new byte[valueBytes]);
    }
}
