package io.portcullis.quarantine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** A record whose ack and nack the test can observe. */
public final class Tracked {
    public final AtomicBoolean acked = new AtomicBoolean();
    public final AtomicReference<Throwable> nacked = new AtomicReference<>();
    public final Message<byte[]> message;

    public Tracked(byte[] payload) {
        this.message = Message.of(payload, Metadata.empty(),
                () -> {
                    acked.set(true);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    nacked.set(failure);
                    return CompletableFuture.completedFuture(null);
                });
    }

    public boolean settled() {
        return acked.get() || nacked.get() != null;
    }
}
