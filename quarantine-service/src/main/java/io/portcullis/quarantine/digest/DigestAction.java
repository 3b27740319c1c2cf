package io.portcullis.quarantine.digest;

import java.util.Locale;
import java.util.Optional;

/** What a one-click digest link does. The code is what the signed token carries. */
public enum DigestAction {
    RELEASE("release", "Release this message to you"),
    REQUEST_RELEASE("request", "Ask an administrator to release this message"),
    APPROVE_SENDER("approve", "Always accept mail from this sender"),
    DELETE("delete", "Delete this message");

    private final String code;
    private final String label;

    DigestAction(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static Optional<DigestAction> ofCode(String code) {
        for (DigestAction action : values()) {
            if (action.code.equals(code)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
