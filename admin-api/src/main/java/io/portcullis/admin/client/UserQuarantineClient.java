package io.portcullis.admin.client;

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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * quarantine-service's end-user API. Every call carries the owner set admin-api derived from the token
 * ({@value #OWNER_HEADER}: the verified address first, then its directory aliases), how the aliases were found
 * ({@value #OWNER_SOURCE_HEADER}) and the user ({@value QuarantineClient#ACTOR_HEADER}); quarantine-service scopes
 * every query by the owner set.
 */
@RegisterRestClient(configKey = "quarantine")
@Path("/api/v1/user-quarantine")
@Produces(MediaType.APPLICATION_JSON)
public interface UserQuarantineClient {
    String OWNER_HEADER = "X-Portcullis-Owner";
    String OWNER_SOURCE_HEADER = "X-Portcullis-Owner-Source";

    @GET
    @Path("items")
    Response list(@RestQuery MultivaluedMap<String, String> query, @HeaderParam(OWNER_HEADER) String owner,
            @HeaderParam(OWNER_SOURCE_HEADER) String source, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("items/{id}")
    Response get(@PathParam("id") String id, @HeaderParam(OWNER_HEADER) String owner,
            @HeaderParam(OWNER_SOURCE_HEADER) String source, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("items/{id}/preview")
    Response preview(@PathParam("id") String id, @HeaderParam(OWNER_HEADER) String owner,
            @HeaderParam(OWNER_SOURCE_HEADER) String source, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("items/{id}/preview/html")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    Response previewHtml(@PathParam("id") String id, @HeaderParam(OWNER_HEADER) String owner,
            @HeaderParam(OWNER_SOURCE_HEADER) String source, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("items/{id}/attachments/{index}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    Response attachment(@PathParam("id") String id, @PathParam("index") String index,
            @HeaderParam(OWNER_HEADER) String owner, @HeaderParam(OWNER_SOURCE_HEADER) String source,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @POST
    @Path("items/{id}/{action}")
    Response act(@PathParam("id") String id, @PathParam("action") String action,
            @HeaderParam(OWNER_HEADER) String owner, @HeaderParam(OWNER_SOURCE_HEADER) String source,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("items/{id}")
    Response delete(@PathParam("id") String id, @HeaderParam(OWNER_HEADER) String owner,
            @HeaderParam(OWNER_SOURCE_HEADER) String source, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("digest")
    Response digest(@HeaderParam(OWNER_HEADER) String owner, @HeaderParam(OWNER_SOURCE_HEADER) String source,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @PUT
    @Path("digest")
    @Consumes(MediaType.APPLICATION_JSON)
    Response setDigest(byte[] body, @HeaderParam(OWNER_HEADER) String owner,
            @HeaderParam(OWNER_SOURCE_HEADER) String source, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);
}
