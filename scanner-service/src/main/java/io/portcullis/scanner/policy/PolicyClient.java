package io.portcullis.scanner.policy;

import io.portcullis.contracts.policy.PolicySnapshot;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** MicroProfile REST client of policy-service (built programmatically with the configured URL). */
@Path("/api/v1/policy")
public interface PolicyClient {

    @GET
    @Path("/snapshot")
    @Produces(MediaType.APPLICATION_JSON)
    PolicySnapshot snapshot();
}
