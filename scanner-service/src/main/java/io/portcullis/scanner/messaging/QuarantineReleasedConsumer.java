package io.portcullis.scanner.messaging;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.mime.DecompositionSymbols;
import io.portcullis.scanner.release.ReleaseDedupe;
import io.portcullis.scanner.release.ReleaseIds;
import io.portcullis.scanner.release.ReleaseRescanner;
import io.portcullis.scanner.release.ReleaseVerdicts;
import io.portcullis.scanner.release.RescanOutcome;
import io.portcullis.scanner.signatures.SignatureUpdater;
import io.portcullis.scanner.storage.BodyLoader;
import io.portcullis.scanner.storage.BodyStore;
import io.portcullis.scanner.storage.BodyUnavailableException;
import io.portcullis.scanner.storage.LoadedBody;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * Reads {@code portcullis.quarantine.events.v1} (group {@code scanner-release}) and rescans every RELEASED message
 * with the current threat engines ({@link ReleaseRescanner}), then publishes its verdict to
 * {@code portcullis.mail.verdict.v1} ({@link ReleaseVerdicts}, id {@link ReleaseIds#verdictId}): delivery relays a
 * clean release to the released recipients, quarantine-service takes a threat back (area {@code virus}) or an
 * unscannable one (area {@code unscannable}), report-service records it. Nothing else delivers a release.
 *
 * <p>The record is acknowledged only once Kafka acknowledged the verdict. Other event types are acknowledged and
 * ignored; an unparseable record or a released item whose quarantined copy is gone is nacked (dead-letter topic). A
 * duplicated release ({@link ReleaseDedupe}) publishes nothing and is acknowledged with the first one.
 */
@ApplicationScoped
public class QuarantineReleasedConsumer {
    /** Incoming channel bound to {@code portcullis.quarantine.events.v1}. */
    public static final String CHANNEL = "quarantine-released";
    /** Outgoing channel bound to {@code portcullis.mail.verdict.v1}. */
    public static final String VERDICTS = "release-verdict";

    private static final Logger LOG = Logger.getLogger(QuarantineReleasedConsumer.class);

    private final ReleaseRescanner rescanner;
    private final ReleaseDedupe dedupe;
    private final BodyLoader bodies;
    private final SignatureUpdater signatures;
    private final Duration startupWait;
    private volatile boolean signaturesResolved;

    public QuarantineReleasedConsumer(ReleaseRescanner rescanner, ReleaseDedupe dedupe, BodyLoader bodies,
            SignatureUpdater signatures, ScannerConfig config) {
        this.rescanner = rescanner;
        this.dedupe = dedupe;
        this.bodies = bodies;
        this.signatures = signatures;
        this.startupWait = config.scanner().signatures().updates().startupWait();
    }

    /**
     * @return the verdict, carrying {@code in}'s ack and nack; or null (nothing sent) when {@code in} was settled here
     *         (not a release, a duplicate, poison). Never throws: a thrown exception would end the stream.
     */
    @Incoming(CHANNEL)
    @Outgoing(VERDICTS)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    @Blocking(value = "release-workers", ordered = false)
    public Message<byte[]> process(Message<byte[]> in) {
        Context parent = TracingMetadata.fromMessage(in).map(TracingMetadata::getCurrentContext)
                .orElse(Context.current());
        QuarantineEvent event;
        String verdictId;
        try {
            event = parse(in.getPayload());
            if (event.type() != QuarantineEvent.Type.RELEASED) {
                in.ack();
                return null;
            }
            verdictId = ReleaseIds.verdictId(event);
        } catch (IllegalArgumentException e) {
            LOG.warnf("poison quarantine event, dead-lettering it: %s", e.getMessage());
            in.nack(e);
            return null;
        }
        ReleaseDedupe.Claim claim = dedupe.claim(verdictId);
        if (claim instanceof ReleaseDedupe.Done) {
            LOG.infof("message %s: release %s was rescanned already, duplicate ignored", event.messageId(), verdictId);
            in.ack();
            return null;
        }
        if (claim instanceof ReleaseDedupe.InFlight running) {
            LOG.infof("message %s: release %s is being rescanned, duplicate joins it", event.messageId(), verdictId);
            running.outcome().whenComplete((ok, error) -> {
                if (error == null) {
                    in.ack();
                } else {
                    in.nack(error);
                }
            });
            return null;
        }
        try (Scope ignored = parent.makeCurrent()) {
            awaitSignatures();
            VerdictIssued verdict = verdictFor(verdictId, event);
            LOG.infof("message %s: release rescanned as %s: %s to %d recipient(s)", event.messageId(), verdictId,
                    verdict.action(), verdict.envelope().recipients().size());
            OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(verdictId)
                    .withHeaders(new RecordHeaders().add(Topics.HEADER_MESSAGE_ID,
                            verdictId.getBytes(StandardCharsets.UTF_8)))
                    .build();
            return in.withPayload(EventJson.write(verdict)).addMetadata(kafka)
                    .withAck(() -> {
                        dedupe.succeeded(verdictId);
                        return in.ack();
                    })
                    .withNack(error -> {
                        dedupe.failed(verdictId, error);
                        return in.nack(error);
                    });
        } catch (BodyUnavailableException e) {
            LOG.errorf("message %s: the released copy is gone, dead-lettering the release: %s", event.messageId(),
                    e.getMessage());
            dedupe.failed(verdictId, e);
            in.nack(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "message %s: rescanning the release failed unexpectedly, dead-lettering it",
                    event.messageId());
            dedupe.failed(verdictId, e);
            in.nack(e);
        }
        return null;
    }

    /**
     * Loads and rescans one release (the part that does not depend on Kafka). A body that cannot be read is an
     * unscannable release; only a body that is gone (nothing to quarantine again) is an exception.
     *
     * @throws BodyUnavailableException when the released item's object no longer exists
     */
    public VerdictIssued verdictFor(String verdictId, QuarantineEvent event) throws BodyUnavailableException {
        LoadedBody body;
        try {
            body = bodies.load(verdictId, event.body());
        } catch (BodyUnavailableException e) {
            if (e.getCause() instanceof BodyStore.ObjectMissingException) {
                throw e;
            }
            LOG.warnf("message %s: released body unreadable, back to quarantine as unscannable: %s",
                    event.messageId(), e.getMessage());
            return ReleaseVerdicts.unreadable(verdictId, event, "body unreadable", Instant.now());
        }
        List<Finding> pre = body.truncated()
                ? List.of(new Finding(DecompositionSymbols.MIME_LIMIT, Category.FAILURE, 0, "body of "
                        + event.body().size() + " bytes is larger than the scan limit"))
                : List.of();
        RescanOutcome outcome = rescanner.rescan(verdictId, event.tenant(), event.envelope(), body.bytes(), pre);
        return ReleaseVerdicts.of(verdictId, event, outcome, Instant.now());
    }

    /** Before the first rescan: the active signature bundle, or {@code startup-wait} passed (then the held set). */
    private void awaitSignatures() {
        if (signaturesResolved) {
            return;
        }
        try {
            if (!signatures.awaitStartupSet(startupWait)) {
                LOG.warnf("the active signature bundle is not loaded after %s: rescanning with the current set",
                        startupWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        signaturesResolved = true;
    }

    static QuarantineEvent parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("empty quarantine event");
        }
        QuarantineEvent e = EventJson.read(payload, QuarantineEvent.class);
        if (e == null || e.messageId() == null || e.messageId().isBlank() || e.type() == null) {
            throw new IllegalArgumentException("quarantine event without messageId or type");
        }
        if (e.type() == QuarantineEvent.Type.RELEASED && (e.envelope() == null || e.body() == null
                || e.envelope().recipients().isEmpty())) {
            throw new IllegalArgumentException("released message " + e.messageId()
                    + " without envelope, recipients or body");
        }
        return e;
    }
}
