package io.portcullis.admin.rest;

import io.portcullis.admin.client.QuarantineClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/quarantine/areas/...} (retention and end-user rights per quarantine area), proxied to
 * quarantine-service. Reads: admin, auditor, quarantine-manager. Changes: admin, with the authenticated user as
 * {@code X-Portcullis-Actor}.
 */
@Path("/api/v1/quarantine/areas")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineAreaResource {
    private static final String SERVICE = "quarantine-service";

    private final QuarantineClient quarantine;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public QuarantineAreaResource(@RestClient QuarantineClient quarantine, Downstream downstream,
            SecurityIdentity identity) {
        this.quarantine = quarantine;
        this.downstream = downstream;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.QUARANTINE_MANAGER})
    public Response list() {
        return downstream.relay(SERVICE, quarantine::areas);
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR, Roles.QUARANTINE_MANAGER})
    public Response get(@PathParam("name") String name) {
        Response bad = Downstream.rejectUnsafeSegment("area", name);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.area(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response create(byte[] body) {
        return downstream.relay(SERVICE, () -> quarantine.createArea(body, actor()));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response update(@PathParam("name") String name, byte[] body) {
        Response bad = Downstream.rejectUnsafeSegment("area", name);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.updateArea(name, body, actor()));
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("name") String name) {
        Response bad = Downstream.rejectUnsafeSegment("area", name);
        return bad != null ? bad : downstream.relay(SERVICE, () -> quarantine.deleteArea(name, actor()));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
