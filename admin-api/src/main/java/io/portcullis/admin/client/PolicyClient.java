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
 * policy-service, same paths as admin-api exposes. Answers of every status come back as a {@link Response}. Changes
 * carry the authenticated user as {@value QuarantineClient#ACTOR_HEADER} (the actor of policy-service's audit).
 */
@RegisterRestClient(configKey = "policy")
@Path("/api/v1/policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface PolicyClient {

    @GET
    @Path("snapshot")
    Response snapshot(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("domains")
    Response domains(@RestQuery MultivaluedMap<String, String> query);

    @POST
    @Path("domains")
    Response addDomain(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("domains/{domain}")
    Response deleteDomain(@PathParam("domain") String domain,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("rules")
    Response rules(@RestQuery MultivaluedMap<String, String> query);

    @POST
    @Path("rules")
    Response addRule(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @PUT
    @Path("rules/{id}")
    Response updateRule(@PathParam("id") String id, byte[] body,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("rules/{id}")
    Response deleteRule(@PathParam("id") String id, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("templates")
    Response templates();

    @GET
    @Path("templates/{id}")
    Response template(@PathParam("id") String id);

    @PUT
    @Path("templates/{id}")
    Response putTemplate(@PathParam("id") String id, byte[] body,
            @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @DELETE
    @Path("templates/{id}")
    Response deleteTemplate(@PathParam("id") String id, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("settings")
    Response settings(@RestQuery MultivaluedMap<String, String> query);

    @PUT
    @Path("settings")
    Response updateSettings(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @GET
    @Path("audit")
    Response audit(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("versions/{version}")
    Response version(@PathParam("version") String version);

    @GET
    @Path("bundle")
    Response exportBundle(@RestQuery MultivaluedMap<String, String> query);

    @POST
    @Path("bundle")
    Response importBundle(byte[] body, @HeaderParam(QuarantineClient.ACTOR_HEADER) String actor);

    @POST
    @Path("simulate")
    Response simulate(byte[] body);
}
