package io.portcullis.policy.signatures;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SignatureBundleActivated;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.entity.OutboxEntry;
import io.portcullis.policy.entity.SignatureBundle;
import io.portcullis.policy.entity.SignatureState;
import io.portcullis.policy.messaging.OutboxWritten;
import io.portcullis.policy.service.DuplicateEntryException;
import io.portcullis.policy.service.UnknownEntryException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bundle rows and the active-bundle row in PostgreSQL. Every activation (publication or rollback) is one
 * transaction that locks the state row, changes it, and writes {@link SignatureBundleActivated} into the outbox
 * (topic {@value Topics#SIGNATURES}, key = tenant); the relay publishes it after commit. Nothing is sent directly.
 */
@ApplicationScoped
public class BundleRegistry {
    /** Reason of an activation by publication. */
    public static final String PUBLISH = "publish";
    /** Reason of an activation of an existing bundle (rollback or roll forward). */
    public static final String ROLLBACK = "rollback";
    private static final Sort NEWEST_FIRST = Sort.by("createdAt", Sort.Direction.Descending)
            .and("version", Sort.Direction.Descending);

    /** The result of an activation: its number (commit order) and time. */
    public record Activation(long activation, Instant at) {
    }

    /** The active bundle (null before the first publication) and the activation number that made it active. */
    public record ActiveState(long activation, SignatureBundle bundle) {
    }

    /** All bundles, newest first, and the active version (or null). */
    public record Listing(String active, List<SignatureBundle> bundles) {
    }

    private final String tenant;
    private final Event<OutboxWritten> written;
    private final Clock clock;

    public BundleRegistry(PolicyConfig config, Event<OutboxWritten> written) {
        this.tenant = config.tenant();
        this.written = written;
        this.clock = Clock.systemUTC();
    }

    @Transactional
    public boolean exists(String version) {
        return SignatureBundle.findById(version) != null;
    }

    @Transactional
    public Optional<SignatureBundle> find(String version) {
        return SignatureBundle.findByIdOptional(version);
    }

    @Transactional
    public ActiveState activeState() {
        SignatureState state = state(LockModeType.NONE);
        SignatureBundle bundle = state.activeVersion == null ? null : SignatureBundle.findById(state.activeVersion);
        return new ActiveState(state.activation, bundle);
    }

    @Transactional
    public Listing listing() {
        SignatureState state = state(LockModeType.PESSIMISTIC_READ);
        return new Listing(state.activeVersion, SignatureBundle.<SignatureBundle>listAll(NEWEST_FIRST));
    }

    /** Inserts a new bundle and makes it active (reason {@value #PUBLISH}); 409 when the version exists. */
    @Transactional
    public Activation publish(SignatureBundle bundle) {
        SignatureState state = state(LockModeType.PESSIMISTIC_WRITE);
        if (SignatureBundle.findById(bundle.version) != null) {
            throw new DuplicateEntryException("version", "signature bundle already exists: " + bundle.version);
        }
        bundle.persist();
        return activate(state, bundle, PUBLISH);
    }

    /** Makes an existing bundle active again; 404 when there is none of this version. */
    @Transactional
    public Activation activate(String version, String reason) {
        SignatureState state = state(LockModeType.PESSIMISTIC_WRITE);
        SignatureBundle bundle = SignatureBundle.findById(version);
        if (bundle == null) {
            throw new UnknownEntryException("version", "no such signature bundle");
        }
        return activate(state, bundle, reason);
    }

    private Activation activate(SignatureState state, SignatureBundle bundle, String reason) {
        Instant now = clock.instant();
        state.activeVersion = bundle.version;
        state.activation++;
        state.activatedAt = now;
        OutboxEntry entry = new OutboxEntry();
        entry.topic = Topics.SIGNATURES;
        entry.messageKey = tenant;
        entry.payload = EventJson.write(new SignatureBundleActivated(tenant, bundle.version, bundle.bucket,
                bundle.objectKey, bundle.sha256, bundle.size, now, reason));
        entry.createdAt = now;
        entry.persist();
        written.fire(new OutboxWritten(state.activation)); // observed after commit only
        return new Activation(state.activation, now);
    }

    private static SignatureState state(LockModeType lock) {
        SignatureState state = SignatureState.findById(SignatureState.ID, lock);
        if (state == null) {
            throw new IllegalStateException("signature_state row is missing; the V4 migration did not run");
        }
        return state;
    }
}
