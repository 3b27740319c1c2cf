package io.portcullis.report.messaging;

import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.report.service.DurableWrite;
import io.portcullis.report.service.RecordParser;
import io.portcullis.report.service.TrackingWriter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * QuarantineEvent from portcullis.quarantine.events.v1 → a path step and maybe a new state (the message row is
 * created if the verdict has not arrived yet). Acked after commit; poison records go to the dead-letter topic.
 */
@ApplicationScoped
public class QuarantineEventConsumer {
    /** Channel name in application.properties. */
    public static final String CHANNEL = "quarantine-events";
    private static final Logger LOG = Logger.getLogger(QuarantineEventConsumer.class);

    private final TrackingWriter writer;
    private final DurableWrite durable;

    public QuarantineEventConsumer(TrackingWriter writer, DurableWrite durable) {
        this.writer = writer;
        this.durable = durable;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(byte[] record) {
        QuarantineEvent event = RecordParser.quarantine(record);
        durable.run(event.messageId(), () -> writer.recordQuarantine(event));
        LOG.debugf("message %s: quarantine %s tracked", event.messageId(), event.type());
    }
}
