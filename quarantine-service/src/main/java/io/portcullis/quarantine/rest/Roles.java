package io.portcullis.quarantine.rest;

import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.service.Role;
import java.util.Locale;

/**
 * The {@value #HEADER} header: the caller's role, set by admin-api (trusted like {@code X-Portcullis-Actor}; this is
 * an internal API). Absent means ADMIN, as before roles existed.
 */
final class Roles {
    static final String HEADER = "X-Portcullis-Role";

    private Roles() {
    }

    /** ADMIN or MANAGER; USER is refused here (end users have their own API). */
    static Role adminOrManager(String header) {
        if (header == null || header.isBlank()) {
            return Role.ADMIN;
        }
        Role role;
        try {
            role = Role.valueOf(header.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QuarantineProblem.invalid(HEADER, HEADER + " must be ADMIN, MANAGER or USER");
        }
        if (role == Role.USER) {
            throw new QuarantineProblem(Kind.FORBIDDEN,
                    "this API is for quarantine managers and admins; end users use their own quarantine");
        }
        return role;
    }
}
