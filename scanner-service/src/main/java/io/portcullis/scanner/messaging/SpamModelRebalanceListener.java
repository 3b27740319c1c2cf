package io.portcullis.scanner.messaging;

import io.portcullis.scanner.spam.LearnedModelUpdater;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The learned-model consumer reads from the latest offset with a group of its own, so updates written while it held no
 * partition (start-up, a rebalance, a broker restart) would only show up as a gap at the next update. Whenever it gets
 * partitions, every tenant is fetched whole once.
 */
@ApplicationScoped
@Identifier(SpamModelRebalanceListener.NAME)
public class SpamModelRebalanceListener implements KafkaConsumerRebalanceListener {
    /** Referenced by {@code mp.messaging.incoming.spam-model.consumer-rebalance-listener.name}. */
    public static final String NAME = "spam-model-rebalance";

    private final LearnedModelUpdater updater;

    public SpamModelRebalanceListener(LearnedModelUpdater updater) {
        this.updater = updater;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            updater.fetchAll();
        }
    }
}
