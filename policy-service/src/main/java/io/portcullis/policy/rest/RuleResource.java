package io.portcullis.policy.rest;

import io.portcullis.policy.api.ErrorBody;
import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.RuleView;
import io.portcullis.policy.service.Actors;
import io.portcullis.policy.service.PolicyService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Policy rules, enabled or not, by ascending priority; full form in and out, short form still accepted on input.
 * Changes are audited with the {@value Actors#HEADER} header (set by admin-api) as actor.
 */
@Path("/api/v1/policy/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policy rules", description = "Ordered rules: scope, conditions, actions (docs/policy.md)")
public class RuleResource {
    private final PolicyService policy;

    public RuleResource(PolicyService policy) {
        this.policy = policy;
    }

    @GET
    @Operation(summary = "All rules, enabled or not, by priority")
    public List<RuleView> list() {
        return policy.rules();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One rule")
    @APIResponse(responseCode = "200", description = "the rule")
    @APIResponse(responseCode = "404", description = "unknown rule",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public RuleView get(@PathParam("id") String id) {
        return policy.rule(id);
    }

    @POST
    @Operation(summary = "Create a rule (full or short form)",
            description = "Validated by policy-engine; the whole resulting policy must compile. New policy version,"
                    + " audit entry, PolicyChanged.")
    @APIResponse(responseCode = "201", description = "created")
    @APIResponse(responseCode = "400", description = "invalid; field names the part at fault, e.g."
            + " conditions[0].operator", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "409", description = "a rule with this id exists",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Response create(RuleRequest request,
            @Parameter(description = "who makes the change (set by admin-api)") @HeaderParam(Actors.HEADER)
            String actor) {
        RuleView rule = policy.createRule(request, actor);
        return Response.created(UriBuilder.fromPath("/api/v1/policy/rules/{id}").build(rule.id()))
                .entity(rule).build();
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a rule (full or short form)")
    @APIResponse(responseCode = "200", description = "replaced")
    @APIResponse(responseCode = "400", description = "invalid, naming the field",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "unknown rule",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public RuleView replace(@PathParam("id") String id, RuleRequest request,
            @HeaderParam(Actors.HEADER) String actor) {
        return policy.updateRule(id, request, actor);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a rule")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "unknown rule",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Response delete(@PathParam("id") String id, @HeaderParam(Actors.HEADER) String actor) {
        policy.deleteRule(id, actor);
        return Response.noContent().build();
    }
}
