package io.portcullis.quarantine.entity;

/** What an end user may do with their own items in an area. Managers and admins may release anything. */
public enum UserRight {
    /** Release their own copies directly. */
    RELEASE,
    /** Only ask for a release; a manager or admin decides. */
    REQUEST,
    /** Neither: only managers and admins act. */
    NONE
}
