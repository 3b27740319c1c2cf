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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * policy-service's IP Profiler endpoints, same paths as admin-api exposes. Writes carry the authenticated user as
 * {@value QuarantineClient#ACTOR_HEADER}.
 */
@RegisterRestClient(configKey = "policy")
@Path("/api/v1/ip-profiler")
@Produces(MediaType.APPLICATION_JSON)
public interface IpProfilerClient {

    @GET
    @Path("blocks")
    Response blocks();

    @POST
    @Path("blocks/{ip}/unblock")
    Response unblock(@PathParam("ip") String ip, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("allow")
    Response allowList();

    @POST
    @Path("allow")
    @Consumes(MediaType.APPLICATION_JSON)
    Response allow(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("allow/{ip}")
    Response disallow(@PathParam("ip") String ip, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("allow/{ip}/{prefix}")
    Response disallowBlock(@PathParam("ip") String ip, @PathParam("prefix") String prefix,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);
}
