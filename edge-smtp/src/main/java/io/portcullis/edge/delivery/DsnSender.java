package io.portcullis.edge.delivery;

import java.util.concurrent.CompletionStage;

/** Sends a delivery status notification, with the null envelope sender, through a next hop. */
public interface DsnSender {

    /**
     * @return completes with the next hop's reply when it accepted the DSN, exceptionally otherwise
     */
    CompletionStage<String> send(NextHop hop, DeliveryStatusNotification dsn);

    /**
     * Sends under a TLS policy (the DSN recipient's domain's). An implementation that talks to a real next hop must
     * honour it ({@link VertxDsnSender} does); the default, for test doubles, ignores it.
     */
    default CompletionStage<String> send(NextHop hop, DeliveryStatusNotification dsn, TlsPolicy tls) {
        return send(hop, dsn);
    }
}
