package io.portcullis.policy.rest;

import io.portcullis.policy.api.ReputationRequest;
import io.portcullis.policy.api.ReputationResponse;
import io.portcullis.policy.reputation.ReputationService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Smart Scan: whole-file hash reputation for scanners. */
@Path("/api/v1/reputation/files")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReputationResource {
    private final ReputationService reputation;

    public ReputationResource(ReputationService reputation) {
        this.reputation = reputation;
    }

    @POST
    public ReputationResponse lookup(ReputationRequest request) {
        return reputation.lookup(request);
    }
}
