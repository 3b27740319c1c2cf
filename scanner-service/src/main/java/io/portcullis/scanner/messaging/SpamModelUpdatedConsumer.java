package io.portcullis.scanner.messaging;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.scanner.spam.LearnedModelUpdater;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows learned spam count changes on {@code portcullis.spam.model.v1}: every scanner instance reads with its own
 * consumer group from the latest offset (the start-up fetch covers what came before; a gap fetches the tenant whole)
 * and hands each update to {@link LearnedModelUpdater}, which applies it strictly in sequence. An invalid record is
 * logged and skipped: there is nothing to apply, and dead-lettering it from every instance would only duplicate it.
 */
@ApplicationScoped
public class SpamModelUpdatedConsumer {
    /** Channel name in application.properties. */
    public static final String CHANNEL = "spam-model";
    private static final Logger LOG = Logger.getLogger(SpamModelUpdatedConsumer.class);

    private final LearnedModelUpdater updater;

    public SpamModelUpdatedConsumer(LearnedModelUpdater updater) {
        this.updater = updater;
    }

    @Incoming(CHANNEL)
    public void onUpdated(byte[] payload) {
        SpamModelUpdated update;
        try {
            update = EventJson.read(payload == null ? new byte[0] : payload, SpamModelUpdated.class);
            if (update == null || update.tenant() == null || update.tenant().isBlank() || update.sequence() < 1) {
                throw new IllegalArgumentException("SpamModelUpdated without tenant or sequence");
            }
        } catch (IllegalArgumentException e) {
            LOG.warnf("invalid SpamModelUpdated record skipped: %s", e.getMessage());
            return;
        }
        updater.updated(update);
    }
}
