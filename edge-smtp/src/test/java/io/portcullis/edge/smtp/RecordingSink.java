package io.portcullis.edge.smtp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** In-memory {@link MessageSink}: records every message; its answer is pluggable (success by default). */
public final class RecordingSink implements MessageSink {

    public final List<AcceptedMessage> messages = new CopyOnWriteArrayList<>();
    private volatile Function<AcceptedMessage, CompletionStage<String>> behaviour =
            m -> CompletableFuture.completedFuture(m.queueId());

    @Override
    public CompletionStage<String> accept(AcceptedMessage message) {
        messages.add(message);
        return behaviour.apply(message);
    }

    public void answer(Function<AcceptedMessage, CompletionStage<String>> newBehaviour) {
        this.behaviour = newBehaviour;
    }

    public String body(int index) {
        return new String(messages.get(index).bytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
