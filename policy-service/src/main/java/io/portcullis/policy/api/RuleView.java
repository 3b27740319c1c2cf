package io.portcullis.policy.api;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.HeaderField;
import java.time.Instant;
import java.util.List;

/** A stored rule as the API returns it. */
public record RuleView(String id, String name, int priority, String match, Action action, String subjectPrefix,
        List<HeaderField> addHeaders, boolean enabled, Instant created, Instant updated) {
}
