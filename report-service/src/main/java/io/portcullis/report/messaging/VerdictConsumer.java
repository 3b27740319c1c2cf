package io.portcullis.report.messaging;

import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.report.service.DurableWrite;
import io.portcullis.report.service.RecordParser;
import io.portcullis.report.service.TrackingWriter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * VerdictIssued from portcullis.mail.verdict.v1 → message row, RECEIVED and SCANNED steps. The record is acked
 * when this method returns, i.e. after the transaction committed; a poison record throws and is nacked to the
 * dead-letter topic.
 */
@ApplicationScoped
public class VerdictConsumer {
    /** Channel name in application.properties. */
    public static final String CHANNEL = "verdicts";
    private static final Logger LOG = Logger.getLogger(VerdictConsumer.class);

    private final TrackingWriter writer;
    private final DurableWrite durable;

    public VerdictConsumer(TrackingWriter writer, DurableWrite durable) {
        this.writer = writer;
        this.durable = durable;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(byte[] record) {
        VerdictIssued verdict = RecordParser.verdict(record);
        durable.run(verdict.messageId(), () -> writer.recordVerdict(verdict));
        LOG.debugf("message %s: verdict %s tracked", verdict.messageId(), verdict.action());
    }
}
