package io.portcullis.edge.events;

import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Kafka producer of SMTP statistics events, separate from the spool's: these are counts, not mail, so a send
 * waits at most {@value #MAX_BLOCK_MS} ms for metadata or buffer space and gives up after {@value #DELIVERY_TIMEOUT_MS}
 * ms; acks=all and idempotence keep retries from duplicating records (the event id makes a duplicate harmless
 * anyway).
 */
@ApplicationScoped
public class SmtpEventsProducerFactory {

    static final int MAX_BLOCK_MS = 1000;
    static final int DELIVERY_TIMEOUT_MS = 30_000;

    private final String bootstrapServers;
    private final EdgeConfig config;

    public SmtpEventsProducerFactory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            EdgeConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    /** The producer properties (visible for tests). */
    public Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "edge-smtp-events-" + config.spool().node());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    @Produces
    @Singleton
    @SmtpEvents
    Producer<String, byte[]> smtpEventsProducer() {
        return new KafkaProducer<>(properties());
    }

    void close(@Disposes @SmtpEvents Producer<String, byte[]> producer) {
        producer.close(Duration.ofSeconds(2));
    }
}
