package io.portcullis.quarantine.digest;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.digest.LinkRefused.Reason;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.service.QuarantineCommands;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineQueries;
import io.portcullis.quarantine.service.Role;
import io.portcullis.quarantine.user.SenderApprovals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Describes and uses digest links. {@link #describe} never changes anything (a GET). {@link #use} inserts the link's
 * unique id into {@code digest_link_use} and performs the action in the same transaction: a second use finds the row
 * (or waits for the first transaction and then finds it) and is refused; a failed action rolls the row back, so the
 * link still works. The action is the domain API's with {@link Role#USER} for the link's one recipient, so area rights
 * hold for links as for the end-user API.
 */
@ApplicationScoped
public class DigestLinks {
    private static final Logger LOG = Logger.getLogger(DigestLinks.class);

    /** What the confirmation page shows. */
    public record LinkView(String action, String label, String itemId, String subject, String sender, String area,
            Instant receivedAt, String recipient, Instant expiresAt) {
    }

    /** What a used link did. */
    public record LinkDone(String action, String itemId, String message) {
    }

    private final DigestLinkSigner signer;
    private final DigestStore store;
    private final QuarantineQueries queries;
    private final QuarantineCommands commands;
    private final SenderApprovals approvals;
    private final Clock clock = Clock.systemUTC();

    public DigestLinks(DigestLinkSigner signer, DigestStore store, QuarantineQueries queries,
            QuarantineCommands commands, SenderApprovals approvals) {
        this.signer = signer;
        this.store = store;
        this.queries = queries;
        this.commands = commands;
        this.approvals = approvals;
    }

    @WithSpan("quarantine.digest-link-describe")
    public LinkView describe(String token) {
        DigestLink link = signer.verify(token);
        if (store.used(link.id())) {
            throw used();
        }
        QuarantinedMessage row = heldFor(link);
        return new LinkView(link.action().code(), link.action().label(), row.itemId, row.subject, row.sender,
                row.area, row.receivedAt, link.recipient(), link.expiresAt());
    }

    @WithSpan("quarantine.digest-link-use")
    @Transactional
    public LinkDone use(String token) {
        DigestLink link = signer.verify(token);
        if (!store.recordUse(link, clock.instant())) {
            throw used();
        }
        QuarantinedMessage row = heldFor(link);
        String actor = "digest:" + link.recipient();
        List<String> recipient = List.of(link.recipient());
        try {
            String message = switch (link.action()) {
                case RELEASE -> {
                    commands.release(row.itemId, actor, Role.USER, recipient);
                    yield "The message was released and is on its way to you.";
                }
                case REQUEST_RELEASE -> {
                    commands.requestRelease(row.itemId, actor, Role.USER, recipient);
                    yield "Your request was recorded; an administrator will decide on the release.";
                }
                case DELETE -> {
                    commands.delete(row.itemId, actor, Role.USER, recipient);
                    yield "The message was deleted.";
                }
                case APPROVE_SENDER -> {
                    SenderApprovals.Approved approved = approvals.approve(link.recipient(), row.sender, row.itemId,
                            actor);
                    yield approved.alreadyListed() ? "The sender was already on your safe senders."
                            : "The sender was added to your safe senders.";
                }
            };
            LOG.infof("digest link %s used: %s of item %s", link.id(), link.action(), row.itemId);
            return new LinkDone(link.action().code(), row.itemId, message);
        } catch (QuarantineProblem e) {
            throw switch (e.kind()) {
                case UNAVAILABLE -> new LinkRefused(Reason.UNAVAILABLE,
                        "The quarantine cannot do this right now; the link still works, try again later.");
                default -> new LinkRefused(Reason.NOT_APPLICABLE, e.getMessage());
            };
        }
    }

    /** The item, if this link's recipient still has a copy of it that is not deleted. */
    private QuarantinedMessage heldFor(DigestLink link) {
        QuarantinedMessage row;
        try {
            row = queries.get(link.itemId());
        } catch (QuarantineProblem e) {
            throw gone();
        }
        Optional<RecipientState> mine = queries.recipients(link.itemId()).stream()
                .filter(r -> r.address().equals(link.recipient())).findFirst();
        if (mine.isEmpty() || mine.get().status() == io.portcullis.quarantine.entity.RecipientStatus.DELETED) {
            throw gone();
        }
        return row;
    }

    private static LinkRefused used() {
        return new LinkRefused(Reason.USED, "This link was used already. Each digest link works once.");
    }

    private static LinkRefused gone() {
        return new LinkRefused(Reason.NOT_APPLICABLE, "This message is no longer in your quarantine.");
    }
}
