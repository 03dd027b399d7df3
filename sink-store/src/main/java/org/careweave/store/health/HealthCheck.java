package org.careweave.store.health;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One component's health, as {@code GET /health} reports it. Implementations must answer within a couple of seconds
 * (use timeouts) and must not put patient data or secrets in the detail.
 */
public interface HealthCheck {

    /** Short stable name, e.g. {@code kafka}, {@code database}, {@code sink}, {@code processors}. */
    String name();

    Status check();

    /**
     * Whether this component's DOWN makes {@code /health} DOWN (503). A check that does not decide is still run and
     * reported, marked {@code "informational": true}: see {@link #informational}.
     */
    default boolean decides() {
        return true;
    }

    record Status(boolean up, String detail) {

        public Status {
            Objects.requireNonNull(detail, "detail");
        }

        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    /**
     * The check, reported but not deciding: for a service the component can do without for a while, such as Kafka for
     * the query API, whose reads need only PostgreSQL. Closes the check when it is {@link AutoCloseable}.
     */
    static HealthCheck informational(HealthCheck check) {
        Objects.requireNonNull(check);
        return new Informational(check);
    }

    /** See {@link #informational}. */
    final class Informational implements HealthCheck, AutoCloseable {
        private final HealthCheck check;

        private Informational(HealthCheck check) {
            this.check = check;
        }

        @Override
        public String name() {
            return check.name();
        }

        @Override
        public Status check() {
            return check.check();
        }

        @Override
        public boolean decides() {
            return false;
        }

        @Override
        public void close() throws Exception {
            if (check instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    static HealthCheck of(String name, Supplier<Status> check) {
        Objects.requireNonNull(name);
        Objects.requireNonNull(check);
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Status check() {
                return check.get();
            }
        };
    }
}
