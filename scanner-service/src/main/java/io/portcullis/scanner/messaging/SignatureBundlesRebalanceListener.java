package io.portcullis.scanner.messaging;

import io.portcullis.scanner.signatures.SignatureUpdater;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The announcement consumer reads from the latest offset with a group of its own and commits nothing, so an
 * activation written while it held no partition (start-up, a rebalance, a broker restart) would be skipped. Whenever
 * it gets partitions, the updater asks policy-service for the active bundle once: nothing waits for the next poll.
 */
@ApplicationScoped
@Identifier(SignatureBundlesRebalanceListener.NAME)
public class SignatureBundlesRebalanceListener implements KafkaConsumerRebalanceListener {
    /** Referenced by {@code mp.messaging.incoming.signature-bundles.consumer-rebalance-listener.name}. */
    public static final String NAME = "signature-bundles-rebalance";

    private final SignatureUpdater updater;

    public SignatureBundlesRebalanceListener(SignatureUpdater updater) {
        this.updater = updater;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            updater.checkActiveNow();
        }
    }
}
