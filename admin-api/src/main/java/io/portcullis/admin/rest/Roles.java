package io.portcullis.admin.rest;

/** Keycloak realm roles (token claim {@code realm_access.roles}). */
public final class Roles {
    /** May do everything. */
    public static final String ADMIN = "admin";
    /** May only read. */
    public static final String AUDITOR = "auditor";
    /** May read the quarantine and release or delete any item; may not change policy or quarantine areas. */
    public static final String QUARANTINE_MANAGER = "quarantine-manager";

    private Roles() {
    }
}
