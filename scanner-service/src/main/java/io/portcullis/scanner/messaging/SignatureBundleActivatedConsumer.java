package io.portcullis.scanner.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SignatureBundleActivated;
import io.portcullis.scanner.signatures.BundleRef;
import io.portcullis.scanner.signatures.SignatureUpdater;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows signature bundle activations on {@code portcullis.signatures.v1}: every scanner instance reads with its own
 * consumer group from the latest offset (the start-up lookup of the active bundle covers what came before), and asks
 * {@link SignatureUpdater} for the announced version, publish and rollback alike (the last announcement wins).
 * Loading happens in the background; this method only records the request. An invalid record is logged and skipped
 * (there is nothing to load; dead-lettering it from every instance would only duplicate it).
 */
@ApplicationScoped
public class SignatureBundleActivatedConsumer {
    private static final Logger LOG = Logger.getLogger(SignatureBundleActivatedConsumer.class);

    private final SignatureUpdater updater;

    public SignatureBundleActivatedConsumer(SignatureUpdater updater) {
        this.updater = updater;
    }

    @Incoming("signature-bundles")
    public void onActivated(byte[] payload) {
        BundleRef ref;
        try {
            SignatureBundleActivated event = EventJson.read(payload == null ? new byte[0] : payload,
                    SignatureBundleActivated.class);
            ref = BundleRef.of(event);
            LOG.infof("signature bundle %s activated (%s, tenant %s)", ref.version(), ref.reason(), event.tenant());
        } catch (IllegalArgumentException e) {
            LOG.warnf("invalid SignatureBundleActivated record skipped: %s", e.getMessage());
            return;
        }
        updater.announced(ref);
    }
}
