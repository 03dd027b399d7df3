package org.careweave.store.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs every check at once, each within the timeout, and sums them up: UP only when every component that
 * {@linkplain HealthCheck#decides decides} is UP; the others are reported, marked informational, and decide nothing.
 */
public final class HealthReport {

    /** @param informational true when this component's status does not decide the report's; null (left out) else */
    public record Component(String status, String detail, Boolean informational) {
    }

    public record Report(String status, Map<String, Component> components) {
        public boolean up() {
            return "UP".equals(status);
        }
    }

    private final List<HealthCheck> checks;
    private final Duration timeout;
    private final ExecutorService executor;

    public HealthReport(List<HealthCheck> checks, Duration timeout, ExecutorService executor) {
        this.checks = List.copyOf(checks);
        this.timeout = timeout;
        this.executor = executor;
    }

    public Report run() {
        List<Future<HealthCheck.Status>> futures = new ArrayList<>();
        for (HealthCheck check : checks) {
            futures.add(executor.submit(check::check));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Component> components = new LinkedHashMap<>();
        boolean allUp = true;
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck.Status status = await(futures.get(i), deadline);
            HealthCheck check = checks.get(i);
            allUp &= status.up() || !check.decides();
            components.put(check.name(), new Component(status.up() ? "UP" : "DOWN", status.detail(),
                    check.decides() ? null : Boolean.TRUE));
        }
        return new Report(allUp ? "UP" : "DOWN", components);
    }

    private static HealthCheck.Status await(Future<HealthCheck.Status> future, long deadline) {
        try {
            HealthCheck.Status status = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return status == null ? HealthCheck.Status.down("no answer") : status;
        } catch (TimeoutException e) {
            future.cancel(true);
            return HealthCheck.Status.down("no answer in time");
        } catch (ExecutionException e) {
            return HealthCheck.Status.down("check failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheck.Status.down("interrupted");
        }
    }
}
