package io.portcullis.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * All configuration of policy-service. Keys are {@code portcullis.policy.<key>}; env variables are mapped in
 * application.properties. {@link io.portcullis.policy.messaging.OutboxRelay} checks the values at start-up.
 */
@ConfigMapping(prefix = "portcullis.policy")
public interface PolicyConfig {

    /** Tenant id this instance serves; the snapshot's tenant and the Kafka key of every PolicyChanged. */
    @WithDefault("default")
    String tenant();

    /** The transactional outbox relay. */
    Outbox outbox();

    interface Outbox {
        /**
         * How often the relay looks for unpublished rows besides the after-commit trigger (a run is skipped while
         * the previous one runs). The simple scheduler ticks once a second, so values below 1s act as 1s.
         */
        @WithDefault("1s")
        Duration interval();

        /** Most rows read from the outbox per database round trip. */
        @WithDefault("100")
        int batchSize();

        /**
         * How long the relay waits for Kafka's acknowledgement of one row before it gives up for this run and
         * retries the row later. Keep it above the producer's {@code delivery.timeout.ms}.
         */
        @WithDefault("35s")
        Duration ackTimeout();
    }
}
