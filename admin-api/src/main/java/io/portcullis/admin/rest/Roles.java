package io.portcullis.admin.rest;

/** Keycloak realm roles (token claim {@code realm_access.roles}). */
public final class Roles {
    /** May do everything. */
    public static final String ADMIN = "admin";
    /** May only read. */
    public static final String AUDITOR = "auditor";

    private Roles() {
    }
}
