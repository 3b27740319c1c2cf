package io.portcullis.policy.rest;

import io.portcullis.policy.api.RuleRequest;
import io.portcullis.policy.api.RuleView;
import io.portcullis.policy.service.PolicyService;
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
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/** Policy rules, enabled or not, by ascending priority. */
@Path("/api/v1/policy/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {
    private final PolicyService policy;

    public RuleResource(PolicyService policy) {
        this.policy = policy;
    }

    @GET
    public List<RuleView> list() {
        return policy.rules();
    }

    @GET
    @Path("/{id}")
    public RuleView get(@PathParam("id") String id) {
        return policy.rule(id);
    }

    @POST
    public Response create(RuleRequest request) {
        RuleView rule = policy.createRule(request);
        return Response.created(UriBuilder.fromPath("/api/v1/policy/rules/{id}").build(rule.id()))
                .entity(rule).build();
    }

    @PUT
    @Path("/{id}")
    public RuleView replace(@PathParam("id") String id, RuleRequest request) {
        return policy.updateRule(id, request);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        policy.deleteRule(id);
        return Response.noContent().build();
    }
}
