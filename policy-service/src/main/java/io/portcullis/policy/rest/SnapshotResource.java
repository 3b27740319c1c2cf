package io.portcullis.policy.rest;

import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.policy.service.PolicyService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The whole policy for scanners and edge nodes. */
@Path("/api/v1/policy/snapshot")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policy snapshot", description = "What scanners and edges fetch")
public class SnapshotResource {
    private final PolicyService policy;

    public SnapshotResource(PolicyService policy) {
        this.policy = policy;
    }

    @GET
    @Operation(summary = "The whole policy at the current version", description = "Enabled rules by priority in"
            + " the full form (plus the equivalent short form where there is one), domains, settings, sender lists.")
    public PolicySnapshot snapshot() {
        return policy.snapshot();
    }
}
