package org.careweave.store.auth;

import java.util.Objects;

/** Who presented a valid token: the subject named for it in the tokens file, and its role. */
public record Caller(String subject, Role role) {

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
    }
}
