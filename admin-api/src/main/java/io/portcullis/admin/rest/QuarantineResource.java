package io.portcullis.admin.rest;

import io.portcullis.admin.client.QuarantineClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
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
 * {@code /api/v1/quarantine/...}, proxied to quarantine-service. Reads: admin, auditor, quarantine-manager. Release
 * and delete (optional body {@code {"recipients":[...]}}): admin and quarantine-manager, sent with the authenticated
 * user as {@code X-Portcullis-Actor} and the role as {@code X-Portcullis-Role} ({@code ADMIN} or {@code MANAGER});
 * headers of those names from the caller are never forwarded.
 */
@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineResource {
    private static final String SERVICE = "quarantine-service";

    private final QuarantineClient quarantine;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public QuarantineResource(@RestClient QuarantineClient quarantine, Downstream downstream,
            SecurityIdentity identity) {
        this.quarantine = quarantine;
        this.downstream = downstream;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.QUARANTINE_MANAGER})
    public Response list(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> quarantine.list(uri.getQueryParameters()));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.QUARANTINE_MANAGER})
    public Response get(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("message id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.get(id));
    }

    @GET
    @Path("{id}/raw")
    @Produces({"message/rfc822", MediaType.APPLICATION_JSON})
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.QUARANTINE_MANAGER})
    public Response raw(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("message id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.raw(id));
    }

    @POST
    @Path("{id}/release")
    @RolesAllowed({Roles.ADMIN, Roles.QUARANTINE_MANAGER})
    public Response release(@PathParam("id") String id, byte[] body) {
        Response bad = Downstream.rejectUnsafeSegment("message id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.release(id, actor(), role(), bytes(body)));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.QUARANTINE_MANAGER})
    public Response delete(@PathParam("id") String id, byte[] body) {
        Response bad = Downstream.rejectUnsafeSegment("message id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.delete(id, actor(), role(), bytes(body)));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    /** What quarantine-service trusts: ADMIN for admins, else MANAGER (only the two roles reach here). */
    private String role() {
        return identity.hasRole(Roles.ADMIN) ? "ADMIN" : "MANAGER";
    }

    private static byte[] bytes(byte[] body) {
        return body == null ? new byte[0] : body;
    }
}
