package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** On the test's real disk: a threshold below its free space keeps ingest writing, one above it stops it. */
class DiskSpaceTest {

    @TempDir
    Path dir;

    @Test
    void ingestWritesWhileThereIsRoomAndStopsBelowTheThreshold() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (DiskSpace room = DiskSpace.watch(dir, 1, metrics)) {
            assertThat(room.closedBecause()).isEmpty();
            assertThat(room.healthCheck().check().up()).isTrue();
            assertThat(metrics.get("careweave.platform.disk.free.bytes").gauge().value()).isPositive();
        }
        try (DiskSpace full = DiskSpace.watch(dir, Long.MAX_VALUE, new SimpleMeterRegistry())) {
            assertThat(full.closedBecause()).hasValueSatisfying(reason ->
                    assertThat(reason).startsWith("careweave's disk is nearly full (").contains("MiB free"));
            assertThat(full.healthCheck().check().up()).isFalse();
            assertThat(full.healthCheck().check().detail()).contains("ingest refusing (AE)");
        }
    }
}
