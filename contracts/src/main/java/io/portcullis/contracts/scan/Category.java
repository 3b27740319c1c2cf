package io.portcullis.contracts.scan;

/** What kind of thing a finding is about; policy rules match on these. */
public enum Category {
    VIRUS, SPAM, BLOCKED_ATTACHMENT, CONTENT, FAILURE, INFO
}
