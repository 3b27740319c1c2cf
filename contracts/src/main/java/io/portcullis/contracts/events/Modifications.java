package io.portcullis.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Changes that delivery applies to the bytes on the way out, so the stored body never has to be rewritten.
 *
 * @param subjectPrefix text put in front of the Subject (a Subject is added when the message has none), or null
 * @param addHeaders    header fields to prepend
 */
public record Modifications(String subjectPrefix, List<HeaderField> addHeaders) {
    public static final Modifications NONE = new Modifications(null, List.of());

    public Modifications {
        addHeaders = addHeaders == null ? List.of() : List.copyOf(addHeaders);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return (subjectPrefix == null || subjectPrefix.isEmpty()) && addHeaders.isEmpty();
    }
}
