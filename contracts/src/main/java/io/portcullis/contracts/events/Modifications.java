package io.portcullis.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Changes that delivery applies to the bytes on the way out, so the stored body never has to be rewritten.
 *
 * @param subjectPrefix    text put in front of the Subject (a Subject is added when the message has none), or null
 * @param addHeaders       header fields to prepend
 * @param stripAttachments paths of MIME parts to remove (as in {@link AttachmentMeta#path()}, e.g. {@code part/2};
 *                         an archive member's path removes the part that holds it)
 * @param stripNotice      text put in place of the removed parts (a text/plain part), or null for the default notice
 */
public record Modifications(String subjectPrefix, List<HeaderField> addHeaders, List<String> stripAttachments,
        String stripNotice) {
    public static final Modifications NONE = new Modifications(null, List.of(), List.of(), null);

    public Modifications {
        addHeaders = addHeaders == null ? List.of() : List.copyOf(addHeaders);
        stripAttachments = stripAttachments == null ? List.of() : List.copyOf(stripAttachments);
    }

    /** A subject tag and headers only. */
    public Modifications(String subjectPrefix, List<HeaderField> addHeaders) {
        this(subjectPrefix, addHeaders, List.of(), null);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return (subjectPrefix == null || subjectPrefix.isEmpty()) && addHeaders.isEmpty() && stripAttachments.isEmpty();
    }
}
