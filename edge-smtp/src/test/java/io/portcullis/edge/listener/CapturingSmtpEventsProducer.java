package io.portcullis.edge.listener;

import io.portcullis.edge.events.SmtpEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replaces the SMTP events producer with a {@link MockProducer} that acknowledges every record (enabled only by
 * {@link InMemorySpoolProfile}): the wired listener's RecipientRejected records can be read from {@link #PRODUCER}.
 */
@Alternative
@ApplicationScoped
public class CapturingSmtpEventsProducer {

    public static final MockProducer<String, byte[]> PRODUCER = new MockProducer<>(true, null,
            new StringSerializer(), new ByteArraySerializer());

    @Produces
    @Alternative
    @Singleton
    @SmtpEvents
    Producer<String, byte[]> capturing() {
        return PRODUCER;
    }
}
