package io.portcullis.edge.delivery;

import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Producers of delivery's plain (non-CDI) parts, built from {@link EdgeConfig} at start-up. */
public class DeliveryBeans {

    /** Per-destination state and limits of this node. */
    @Produces
    @Singleton
    DestinationQueues destinationQueues(EdgeConfig config) {
        return new DestinationQueues(config.delivery().destinationConcurrency(),
                config.delivery().deadDestinationTtl(), Clock.systemUTC());
    }

    /** The DKIM signer; every configured key is read and checked here. */
    @Produces
    @Singleton
    DkimSigning dkimSigner(EdgeConfig config) {
        return DkimSigning.fromConfig(config.delivery().dkimKeys());
    }
}
