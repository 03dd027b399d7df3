package org.careweave.store.auth;

import java.util.Locale;

/** What a token's holder may do. {@code admin} may do everything. */
public enum Role {
    /** Reads person-identifiable records for direct care. */
    CLINICIAN,
    /** Secondary use only: refused person-identifiable endpoints. */
    ANALYST,
    /** Everything, including metrics. */
    ADMIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.id().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (clinician, analyst or admin)");
    }
}
