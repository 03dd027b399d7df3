package org.careweave.store.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.careweave.store.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private HealthReport.Report run(HealthCheck... checks) {
        return new HealthReport(List.of(checks), Duration.ofSeconds(2), executor).run();
    }

    private static HealthCheck up(String name) {
        return HealthCheck.of(name, () -> HealthCheck.Status.up("reachable"));
    }

    private static HealthCheck down(String name) {
        return HealthCheck.of(name, () -> HealthCheck.Status.down("unreachable: TimeoutException"));
    }

    @Test
    void anyDecidingComponentDownMakesTheReportDown() {
        assertThat(run(up("database"), up("kafka")).up()).isTrue();
        assertThat(run(up("database"), down("kafka")).up()).isFalse();
    }

    @Test
    void anInformationalComponentDownIsReportedButDecidesNothing() {
        HealthReport.Report report = run(up("database"), HealthCheck.informational(down("kafka")));

        assertThat(report.up()).isTrue();
        assertThat(report.components().get("kafka"))
                .isEqualTo(new HealthReport.Component("DOWN", "unreachable: TimeoutException", true));
        assertThat(Json.write(report)).isEqualTo("{\"status\":\"UP\",\"components\":{"
                + "\"database\":{\"status\":\"UP\",\"detail\":\"reachable\"},"
                + "\"kafka\":{\"status\":\"DOWN\",\"detail\":\"unreachable: TimeoutException\",\"informational\":true}}}");
        assertThat(run(down("database"), HealthCheck.informational(up("kafka"))).up()).isFalse();
    }

    @Test
    void anInformationalCheckClosesWhatItWraps() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        class Closeable implements HealthCheck, AutoCloseable {
            @Override
            public String name() {
                return "kafka";
            }

            @Override
            public Status check() {
                return Status.up("1 broker(s)");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        HealthCheck informational = HealthCheck.informational(new Closeable());
        assertThat(informational).isInstanceOf(AutoCloseable.class);
        ((AutoCloseable) informational).close();
        assertThat(closed).isTrue();
    }
}
