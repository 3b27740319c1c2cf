package io.portcullis.policy.ipprofiler;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpProfilerCommand;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.UnavailableException;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Publishes administrators' allow-list and unblock instructions on {@code portcullis.ipprofiler.control.v1}, keyed
 * by the canonical IP or CIDR, and returns once the broker has acknowledged them (the topic is the source of
 * truth; there is no database copy to keep in step).
 */
@ApplicationScoped
public class IpProfilerCommands {
    /** Channel name in application.properties. */
    public static final String CHANNEL = "ip-profiler-control";
    private static final Logger LOG = Logger.getLogger(IpProfilerCommands.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(35);
    static final int MAX_NOTE = 500;
    static final int MAX_ACTOR = 200;

    private final Emitter<byte[]> emitter;
    private final IpProfilerView view;
    private final Clock clock = Clock.systemUTC();

    public IpProfilerCommands(@Channel(CHANNEL) Emitter<byte[]> emitter, IpProfilerView view) {
        this.emitter = emitter;
        this.view = view;
    }

    /** Allow-lists an IP or CIDR block: never counted, never blocked, a block in force is lifted. */
    @WithSpan
    public IpProfilerCommand allow(@SpanAttribute("ip") String ipOrCidr, String note, String actor) {
        IpRange range = range("ip", ipOrCidr);
        if (note != null && (note.length() > MAX_NOTE || note.chars().anyMatch(c -> c < 0x20 && c != '\t'))) {
            throw new InvalidPolicyException("note", "note must be at most " + MAX_NOTE
                    + " characters without control characters");
        }
        return publish(range.text(), IpProfilerCommand.Type.ALLOW, note, actor);
    }

    /** Removes an allow-list entry (published even when this instance does not know it: idempotent). */
    @WithSpan
    public IpProfilerCommand disallow(@SpanAttribute("ip") String ipOrCidr, String actor) {
        return publish(range("ip", ipOrCidr).text(), IpProfilerCommand.Type.DISALLOW, null, actor);
    }

    /**
     * Lifts the block of one IP now and forgets its counts so far.
     *
     * @throws AllowListedException when the IP itself is an allow-list entry: it cannot be blocked, and an UNBLOCK
     *                              under the same key would replace the entry in the compacted topic
     */
    @WithSpan
    public IpProfilerCommand unblock(@SpanAttribute("ip") String ip, String actor) {
        IpRange range = range("ip", ip);
        if (!range.singleAddress()) {
            throw new InvalidPolicyException("ip", "unblock takes one IP address, not a CIDR block");
        }
        if (view.allowEntry(range.text()).isPresent()) {
            throw new AllowListedException(range.text());
        }
        return publish(range.text(), IpProfilerCommand.Type.UNBLOCK, null, actor);
    }

    private static IpRange range(String field, String text) {
        try {
            return IpRange.parse(text == null ? null : text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(field, e.getMessage());
        }
    }

    private IpProfilerCommand publish(String key, IpProfilerCommand.Type type, String note, String actor) {
        String who = actor == null || actor.isBlank() ? "api" : actor.strip();
        if (who.length() > MAX_ACTOR || who.chars().anyMatch(c -> c < 0x20)) {
            throw new InvalidPolicyException("actor", "malformed actor");
        }
        IpProfilerCommand command = new IpProfilerCommand(UUID.randomUUID().toString(), key, type, who,
                clock.instant(), note == null || note.isBlank() ? null : note.strip());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<byte[]> message = Message.of(EventJson.write(command),
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build()),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("IP Profiler command %s %s not acknowledged by Kafka: %s", type, key, e.toString());
            throw new UnavailableException("Kafka did not acknowledge the command; nothing changed, try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        }
        view.applyCommand(key, EventJson.write(command)); // read-your-writes on this instance
        LOG.infof("IP Profiler command %s %s by %s (%s)", type, key, who, command.commandId());
        return command;
    }

    /** An UNBLOCK for an IP that is an allow-list entry itself (409). */
    public static final class AllowListedException extends RuntimeException {
        private final String ip;

        AllowListedException(String ip) {
            super(ip + " is on the allow list, so it is never blocked; remove it from the allow list first");
            this.ip = ip;
        }

        public String ip() {
            return ip;
        }
    }
}
