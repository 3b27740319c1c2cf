package io.portcullis.admin.rest;

import io.portcullis.admin.client.DigestClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** {@code POST /api/v1/quarantine/digests/run[?force=true]}: send due digests now (admin). */
@Path("/api/v1/quarantine/digests/run")
@Produces(MediaType.APPLICATION_JSON)
public class DigestRunResource {
    private final DigestClient digests;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public DigestRunResource(@RestClient DigestClient digests, Downstream downstream, SecurityIdentity identity) {
        this.digests = digests;
        this.downstream = downstream;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response run(@QueryParam("force") String force) {
        String f = "true".equalsIgnoreCase(force) ? "true" : null;
        return downstream.relay("quarantine-service", () -> digests.run(f, identity.getPrincipal().getName()));
    }
}
