package io.portcullis.admin.client;

import jakarta.ws.rs.Consumes;
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

/**
 * policy-service's safe and blocked sender lists. Changes carry the authenticated user as
 * {@value QuarantineClient#ACTOR_HEADER} (recorded as the entry's {@code createdBy}).
 */
@RegisterRestClient(configKey = "policy")
@Path("/api/v1/sender-lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SenderListClient {

    @GET
    Response list(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("{id}")
    Response get(@PathParam("id") String id);

    @POST
    Response add(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @POST
    @Path("import")
    Response importAll(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("{id}")
    Response delete(@PathParam("id") String id, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);
}
