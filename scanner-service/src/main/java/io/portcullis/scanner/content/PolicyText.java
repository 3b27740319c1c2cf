package io.portcullis.scanner.content;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.util.ArrayList;
import java.util.List;

/** The extracted text in the policy-engine's terms, and what could not be read as findings. */
public final class PolicyText {
    /** A part whose text could not be read (encrypted, unsupported, failed, limit, timeout): CONTENT, per part. */
    public static final String UNREADABLE = "TEXT_UNREADABLE";
    /** At most this many unreadable parts are reported one by one; the rest are counted in the last finding. */
    static final int MAX_FINDINGS = 20;

    private PolicyText() {
    }

    /** Subject, body text and the attachments' texts; incomplete when an attachment was not read whole. */
    public static io.portcullis.policy.engine.MessageText of(MessageText text) {
        List<io.portcullis.policy.engine.MessageText.PartText> parts = new ArrayList<>();
        for (MessageText.PartText p : text.attachments()) {
            if (p.status().scanned() && !p.text().isEmpty()) {
                parts.add(new io.portcullis.policy.engine.MessageText.PartText(p.path(), p.filename(), p.text()));
            }
        }
        // images, executables and other types without text (UNSUPPORTED) were not "unread": there was nothing to
        // read; encrypted, failed, timed-out, cut or limited parts make the text incomplete
        boolean complete = text.limits().isEmpty() && text.attachments().stream()
                .allMatch(p -> p.status().complete() || p.status() == MessageText.Status.UNSUPPORTED);
        return new io.portcullis.policy.engine.MessageText(text.subject(), text.bodyText(), parts, complete);
    }

    /** One CONTENT finding per part whose text could not be read (never the text itself). */
    public static List<Finding> unreadable(MessageText text) {
        List<Finding> out = new ArrayList<>();
        List<MessageText.PartText> bad = text.parts().stream()
                .filter(p -> !p.status().scanned() && p.status() != MessageText.Status.UNSUPPORTED).toList();
        for (int i = 0; i < bad.size() && i < MAX_FINDINGS; i++) {
            MessageText.PartText p = bad.get(i);
            out.add(new Finding(UNREADABLE, Category.CONTENT, 0, p.status() + " " + p.path()
                    + (p.reason() == null ? "" : ": " + p.reason())));
        }
        if (bad.size() > MAX_FINDINGS) {
            out.add(new Finding(UNREADABLE, Category.CONTENT, 0, (bad.size() - MAX_FINDINGS) + " more parts"));
        }
        for (String limit : text.limits()) {
            out.add(new Finding(UNREADABLE, Category.CONTENT, 0, "limit: " + limit));
        }
        return out;
    }
}
