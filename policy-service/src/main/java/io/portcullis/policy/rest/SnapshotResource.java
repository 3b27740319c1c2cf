package io.portcullis.policy.rest;

import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.service.PolicyService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The whole policy for scanners and edge nodes. */
@Path("/api/v1/policy/snapshot")
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotResource {
    private final PolicyService policy;

    public SnapshotResource(PolicyService policy) {
        this.policy = policy;
    }

    @GET
    public PolicySnapshot snapshot() {
        return policy.snapshot();
    }
}
