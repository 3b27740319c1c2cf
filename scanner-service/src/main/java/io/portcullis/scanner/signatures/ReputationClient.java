package io.portcullis.scanner.signatures;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** MicroProfile REST client of policy-service's hash-reputation endpoint (built with the configured URL). */
@Path("/api/v1/reputation")
public interface ReputationClient {

    @POST
    @Path("/files")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    HashReputation.Response files(HashReputation.Request request);
}
