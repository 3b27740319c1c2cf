package io.portcullis.policy.rest;

import io.portcullis.policy.api.AuditEntryView;
import io.portcullis.policy.api.ErrorBody;
import io.portcullis.policy.api.PolicyVersionView;
import io.portcullis.policy.service.PolicyHistory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log of policy changes and the policy as it was at each version. */
@Path("/api/v1/policy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policy history", description = "Who changed what when, and every version's snapshot")
public class PolicyHistoryResource {
    private final PolicyHistory history;

    public PolicyHistoryResource(PolicyHistory history) {
        this.history = history;
    }

    @GET
    @Path("audit")
    @Operation(summary = "Audit entries, newest first",
            description = "One entry per rule, domain, settings or sender-list change, with actor, operation, the"
                    + " policy version it made and the JSON before and after.")
    @APIResponse(responseCode = "200", description = "entries")
    @APIResponse(responseCode = "400", description = "bad limit",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public List<AuditEntryView> audit(
            @Parameter(description = "1-500, default 50") @QueryParam("limit") Integer limit,
            @Parameter(description = "only entries with a smaller id (paging)") @QueryParam("before") Long before) {
        return history.audit(limit, before);
    }

    @GET
    @Path("versions/{version}")
    @Operation(summary = "The policy at a version", description = "The snapshot scanners got (without sender lists),"
            + " who made the version and how.")
    @APIResponse(responseCode = "200", description = "the version")
    @APIResponse(responseCode = "404", description = "no record of that version",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public PolicyVersionView version(@PathParam("version") long version) {
        return history.version(version);
    }
}
