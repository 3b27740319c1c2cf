package io.portcullis.admin.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** quarantine-service's digests: the admin run and the signed one-click links (verified there). */
@RegisterRestClient(configKey = "quarantine")
@Produces(MediaType.APPLICATION_JSON)
public interface DigestClient {

    @POST
    @Path("/api/v1/quarantine/digests/run")
    Response run(@RestQuery("force") String force, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("/api/v1/digest-links/{token}")
    Response describe(@PathParam("token") String token);

    @POST
    @Path("/api/v1/digest-links/{token}")
    Response use(@PathParam("token") String token);
}
