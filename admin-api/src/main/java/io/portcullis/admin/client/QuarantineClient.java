package io.portcullis.admin.client;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/** quarantine-service. Release and delete carry the authenticated user as {@value #ACTOR_HEADER}. */
@RegisterRestClient(configKey = "quarantine")
@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
public interface QuarantineClient {
    String ACTOR_HEADER = "X-Portcullis-Actor";

    @GET
    Response list(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("{id}")
    Response get(@PathParam("id") String id);

    @GET
    @Path("{id}/raw")
    @Produces({"message/rfc822", MediaType.APPLICATION_JSON})
    Response raw(@PathParam("id") String id);

    @POST
    @Path("{id}/release")
    Response release(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor);

    @DELETE
    @Path("{id}")
    Response delete(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor);
}
