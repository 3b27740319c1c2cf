package io.portcullis.admin.rest;

import io.portcullis.admin.client.SenderListClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/sender-lists/...} (safe and blocked senders), proxied to policy-service. Reads: admin, auditor.
 * Changes: admin, sent with the authenticated user as {@code X-Portcullis-Actor}; a header of that name from the
 * caller is never forwarded.
 */
@Path("/api/v1/sender-lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SenderListResource {
    private static final String SERVICE = "policy-service";

    private final SenderListClient senders;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public SenderListResource(@RestClient SenderListClient senders, Downstream downstream,
            SecurityIdentity identity) {
        this.senders = senders;
        this.downstream = downstream;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response list(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> senders.list(uri.getQueryParameters()));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response get(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("sender-list id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> senders.get(id));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response add(byte[] body) {
        return downstream.relay(SERVICE, () -> senders.add(body, actor()));
    }

    @POST
    @Path("import")
    @RolesAllowed(Roles.ADMIN)
    public Response importAll(byte[] body) {
        return downstream.relay(SERVICE, () -> senders.importAll(body, actor()));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("sender-list id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> senders.delete(id, actor()));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
