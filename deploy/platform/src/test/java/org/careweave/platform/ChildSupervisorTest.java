package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real child processes ({@code sleep}) that are killed under the supervisor. */
class ChildSupervisorTest {

    private final List<Process> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aChildThatDiesIsStartedAgainAndWatchedAgain() throws Exception {
        try (ChildSupervisor supervisor = new ChildSupervisor("test child", () -> sleeper().toHandle())) {
            supervisor.watch(sleeper().toHandle());

            started.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            await(() -> supervisor.restarts() == 1);
            assertThat(started).hasSize(2);
            assertThat(started.get(1).isAlive()).isTrue();

            started.get(1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            await(() -> supervisor.restarts() == 2);
            assertThat(started.get(2).isAlive()).as("the restarted child is watched too").isTrue();
        }
    }

    @Test
    void aFailedStartIsTriedAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (ChildSupervisor supervisor = new ChildSupervisor("test child", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("port still taken");
            }
            return sleeper().toHandle();
        })) {
            supervisor.watch(sleeper().toHandle());
            started.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            await(() -> supervisor.restarts() == 1);
            assertThat(attempts.get()).isEqualTo(2);
        }
    }

    @Test
    void aChildThatStopsAfterItsOwnerClosedIsNotStartedAgain() throws Exception {
        ChildSupervisor supervisor = new ChildSupervisor("test child", () -> sleeper().toHandle());
        supervisor.watch(sleeper().toHandle());

        supervisor.close();
        started.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(ChildSupervisor.FIRST_DELAY.toMillis() + 1_000);

        assertThat(supervisor.restarts()).isZero();
        assertThat(started).hasSize(1);
    }

    private Process sleeper() {
        try {
            Process process = new ProcessBuilder("sleep", "300").start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("within 30 s").isTrue();
    }
}
