package io.portcullis.edge.smtp.session;

import io.opentelemetry.api.trace.Span;
import io.portcullis.edge.smtp.protocol.MailParameters;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction: from MAIL FROM to the reply after DATA (or RSET). */
public final class SmtpTransaction {
    private final String queueId;
    private final String mailFrom;
    private final MailParameters parameters;
    private final Span span;
    private final List<String> recipients = new ArrayList<>();

    SmtpTransaction(String queueId, String mailFrom, MailParameters parameters, Span span) {
        this.queueId = queueId;
        this.mailFrom = mailFrom;
        this.parameters = parameters;
        this.span = span;
    }

    public String queueId() {
        return queueId;
    }

    /** Reverse path without brackets; empty for the null sender. */
    public String mailFrom() {
        return mailFrom;
    }

    public MailParameters parameters() {
        return parameters;
    }

    public List<String> recipients() {
        return List.copyOf(recipients);
    }

    public int recipientCount() {
        return recipients.size();
    }

    void addRecipient(String address) {
        recipients.add(address);
    }

    Span span() {
        return span;
    }
}
