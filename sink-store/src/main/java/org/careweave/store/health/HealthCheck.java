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
