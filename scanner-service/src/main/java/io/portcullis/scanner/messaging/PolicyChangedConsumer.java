package io.portcullis.scanner.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.portcullis.scanner.policy.PolicyCache;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Refreshes the policy snapshot when policy-service announces a change. Each scanner instance reads with its own
 * group from the latest offset. Any record, even an unparseable one, means "something changed": it triggers a
 * refresh (which is harmless), so no record is ever a reason to stop the channel.
 */
@ApplicationScoped
public class PolicyChangedConsumer {
    private static final Logger LOG = Logger.getLogger(PolicyChangedConsumer.class);

    private final PolicyCache cache;

    public PolicyChangedConsumer(PolicyCache cache) {
        this.cache = cache;
    }

    @Incoming("policy-changed")
    public void onPolicyChanged(byte[] payload) {
        try {
            PolicyChanged changed = EventJson.read(payload, PolicyChanged.class);
            LOG.infof("policy changed to version %d (%s): refreshing", changed.version(), changed.what());
        } catch (RuntimeException e) {
            LOG.warnf("unparseable PolicyChanged record: refreshing anyway (%s)", e.getMessage());
        }
        cache.refreshSoon();
    }
}
