package io.portcullis.edge.policy;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.PolicyChanged;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Refreshes the accepted domains as soon as policy-service announces a change (each edge instance has its own
 * consumer group and reads from the latest offset). A record that is not a PolicyChanged is nacked and goes to the
 * dead-letter topic. A failed refresh is not a poison record: the last good list stays and the periodic refresh
 * retries, so the record is acknowledged.
 */
@ApplicationScoped
public class PolicyChangedConsumer {

    private static final Logger LOG = Logger.getLogger(PolicyChangedConsumer.class);

    private final AcceptedDomains acceptedDomains;

    public PolicyChangedConsumer(AcceptedDomains acceptedDomains) {
        this.acceptedDomains = acceptedDomains;
    }

    @Incoming("policy-changed")
    @Blocking
    public void onPolicyChanged(byte[] payload) {
        PolicyChanged change = EventJson.read(payload, PolicyChanged.class);
        LOG.infof("policy changed (tenant %s, version %d, %s): refreshing accepted domains", change.tenant(),
                change.version(), change.what());
        if (!acceptedDomains.refresh()) {
            LOG.warn("refresh after PolicyChanged failed; the periodic refresh will retry");
        }
    }
}
