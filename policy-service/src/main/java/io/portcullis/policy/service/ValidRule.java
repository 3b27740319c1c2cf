package io.portcullis.policy.service;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import java.util.List;

/** A rule that passed {@link PolicyValidator}: normalised and safe to store. */
public record ValidRule(String id, String name, int priority, String match, Action action, String subjectPrefix,
        List<HeaderField> addHeaders, boolean enabled) {
    public ValidRule {
        addHeaders = List.copyOf(addHeaders);
    }
}
