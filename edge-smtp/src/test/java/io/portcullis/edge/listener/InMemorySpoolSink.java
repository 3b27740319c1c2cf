package io.portcullis.edge.listener;

import io.portcullis.edge.smtp.AcceptedMessage;
import io.portcullis.edge.smtp.MessageSink;
import io.portcullis.edge.spool.Spool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Replaces the Kafka spool in {@link EdgeSmtpApplicationTest} (enabled only by {@link InMemorySpoolProfile}). */
@Alternative
@Spool
@ApplicationScoped
public class InMemorySpoolSink implements MessageSink {

    public final List<AcceptedMessage> messages = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<String> accept(AcceptedMessage message) {
        messages.add(message);
        return CompletableFuture.completedFuture(message.queueId());
    }
}
