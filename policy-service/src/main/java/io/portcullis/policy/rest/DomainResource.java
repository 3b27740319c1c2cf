package io.portcullis.policy.rest;

import io.portcullis.policy.api.DomainRequest;
import io.portcullis.policy.api.DomainView;
import io.portcullis.policy.service.Actors;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.PolicyService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Accepted domains. */
@Path("/api/v1/policy/domains")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policy domains", description = "Accepted domains; changes are versioned and audited")
public class DomainResource {
    private final PolicyService policy;

    public DomainResource(PolicyService policy) {
        this.policy = policy;
    }

    @GET
    public List<DomainView> list() {
        return policy.domains().stream().map(DomainView::new).toList();
    }

    @POST
    @Operation(summary = "Accept a domain", description = "201; 400 invalid; 409 exists. Audited with the"
            + " X-Portcullis-Actor header as actor.")
    public Response add(DomainRequest request, @HeaderParam(Actors.HEADER) String actor) {
        if (request == null) {
            throw new InvalidPolicyException("body", "a JSON object with \"domain\" is required");
        }
        String domain = policy.addDomain(request.domain(), actor);
        return Response.created(UriBuilder.fromPath("/api/v1/policy/domains/{d}").build(domain))
                .entity(new DomainView(domain)).build();
    }

    @DELETE
    @Operation(summary = "Stop accepting a domain", description = "204; 404 unknown. Audited.")
    @Path("/{domain}")
    public Response delete(@PathParam("domain") String domain, @HeaderParam(Actors.HEADER) String actor) {
        policy.deleteDomain(domain, actor);
        return Response.noContent().build();
    }
}
