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

/** quarantine-service. Release and delete carry the authenticated user as {@value #ACTOR_HEADER}. */
@RegisterRestClient(configKey = "quarantine")
@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
public interface QuarantineClient {
    String ACTOR_HEADER = "X-Portcullis-Actor";
    /** The caller's role for quarantine-service: {@code ADMIN} or {@code MANAGER}. */
    String ROLE_HEADER = "X-Portcullis-Role";

    @GET
    Response list(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("{id}")
    Response get(@PathParam("id") String id);

    @GET
    @Path("{id}/raw")
    @Produces({"message/rfc822", MediaType.APPLICATION_JSON})
    Response raw(@PathParam("id") String id);

    /** Body (optional): {@code {"recipients":[...]}}. */
    @POST
    @Path("{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    Response release(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor,
            @HeaderParam(ROLE_HEADER) String role, byte[] body);

    /** Body (optional): {@code {"recipients":[...]}}. */
    @DELETE
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response delete(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor,
            @HeaderParam(ROLE_HEADER) String role, byte[] body);

    @GET
    @Path("areas")
    Response areas();

    @GET
    @Path("areas/{name}")
    Response area(@PathParam("name") String name);

    @POST
    @Path("areas")
    @Consumes(MediaType.APPLICATION_JSON)
    Response createArea(byte[] body, @HeaderParam(ACTOR_HEADER) String actor);

    @PUT
    @Path("areas/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response updateArea(@PathParam("name") String name, byte[] body, @HeaderParam(ACTOR_HEADER) String actor);

    @DELETE
    @Path("areas/{name}")
    Response deleteArea(@PathParam("name") String name, @HeaderParam(ACTOR_HEADER) String actor);
}
