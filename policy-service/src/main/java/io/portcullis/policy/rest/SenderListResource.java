package io.portcullis.policy.rest;

import io.portcullis.policy.api.SenderListImportRequest;
import io.portcullis.policy.api.SenderListImportResult;
import io.portcullis.policy.api.SenderListRequest;
import io.portcullis.policy.api.SenderListView;
import io.portcullis.policy.service.SenderListService;
import io.portcullis.policy.service.SenderListValidator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;

/**
 * Safe and blocked senders. Changes record who made them from {@value SenderListValidator#ACTOR_FIELD} (admin-api
 * sets it from the token; {@value SenderListValidator#DEFAULT_ACTOR} when absent).
 */
@Path("/api/v1/sender-lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SenderListResource {
    private final SenderListService senders;

    public SenderListResource(SenderListService senders) {
        this.senders = senders;
    }

    @GET
    public List<SenderListView> list(@QueryParam("owner") String owner, @QueryParam("kind") String kind) {
        return senders.list(owner, kind);
    }

    @GET
    @Path("/{id}")
    public SenderListView get(@PathParam("id") String id) {
        return senders.get(id);
    }

    @POST
    public Response add(SenderListRequest request,
            @HeaderParam(SenderListValidator.ACTOR_FIELD) String actor) {
        SenderListView entry = senders.add(request, actor);
        return Response.created(UriBuilder.fromPath("/api/v1/sender-lists/{id}").build(entry.id()))
                .entity(entry).build();
    }

    @POST
    @Path("/import")
    public SenderListImportResult importAll(SenderListImportRequest request,
            @HeaderParam(SenderListValidator.ACTOR_FIELD) String actor) {
        return senders.importAll(request, actor);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(SenderListValidator.ACTOR_FIELD) String actor) {
        senders.delete(id, actor);
        return Response.noContent().build();
    }
}
