package io.portcullis.quarantine.service;

/**
 * Who acts on the quarantine. ADMIN and MANAGER may release and delete any recipient of any item; a USER only the
 * recipients it owns, and release only where the area's {@link io.portcullis.quarantine.entity.UserRight} is RELEASE.
 */
public enum Role {
    ADMIN, MANAGER, USER;

    public boolean privileged() {
        return this != USER;
    }
}
