package io.portcullis.quarantine.user;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * "Approve sender": a SAFE entry on policy-service's sender lists whose owner is the user's own address (never a
 * domain or {@code *}), for the item's envelope sender. Already listed (409) counts as done.
 */
@ApplicationScoped
public class SenderApprovals {
    private static final Logger LOG = Logger.getLogger(SenderApprovals.class);

    /** What happened. */
    public record Approved(String owner, String sender, boolean alreadyListed) {
    }

    private final SenderListClient senderLists;

    public SenderApprovals(@RestClient SenderListClient senderLists) {
        this.senderLists = senderLists;
    }

    /** @throws QuarantineProblem INVALID (null sender, refused by policy-service), UNAVAILABLE */
    @WithSpan("quarantine.approve-sender")
    public Approved approve(String ownerAddress, String sender, String itemId, String actor) {
        if (sender == null || sender.isBlank()) {
            throw new QuarantineProblem(Kind.INVALID, "the message has no sender address (null sender) to approve");
        }
        Response answer;
        try {
            answer = senderLists.add(new SenderListClient.SenderListEntry(ownerAddress, sender, "SAFE",
                    "approved from quarantine item " + itemId), actor);
        } catch (WebApplicationException e) {
            answer = e.getResponse();
        } catch (ProcessingException e) {
            throw new QuarantineProblem(Kind.UNAVAILABLE, "policy-service is unavailable", e);
        }
        try (Response r = answer) {
            int status = r.getStatus();
            if (status == 201 || status == 200) {
                LOG.infof("item %s: sender approved for one owner", itemId);
                return new Approved(ownerAddress, sender, false);
            }
            if (status == 409) {
                return new Approved(ownerAddress, sender, true);
            }
            String body = r.hasEntity() ? r.readEntity(String.class) : "";
            if (status == 400) {
                throw new QuarantineProblem(Kind.INVALID, "policy-service refused the sender: " + body);
            }
            throw new QuarantineProblem(Kind.UNAVAILABLE, "policy-service answered " + status);
        }
    }
}
