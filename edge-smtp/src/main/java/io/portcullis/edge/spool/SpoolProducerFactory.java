package io.portcullis.edge.spool;

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
 * The Kafka producer of durable acceptance: acks=all, idempotent, and timeouts that make every send end (success
 * or error) within {@code portcullis.spool.ack-timeout}.
 */
@ApplicationScoped
public class SpoolProducerFactory {

    private final String bootstrapServers;
    private final EdgeConfig config;

    public SpoolProducerFactory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            EdgeConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
    }

    /** The producer properties (visible for tests). */
    public Map<String, Object> properties() {
        long ack = config.spool().ackTimeout().toMillis();
        long request = Math.min(5000, ack);
        long linger = 2;
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "edge-spool-" + config.spool().node());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(5000, ack));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(ack, request + linger));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    @Produces
    @Singleton
    @Spool
    Producer<String, byte[]> spoolProducer() {
        return new KafkaProducer<>(properties());
    }

    void close(@Disposes @Spool Producer<String, byte[]> producer) {
        producer.close(Duration.ofSeconds(5));
    }
}
