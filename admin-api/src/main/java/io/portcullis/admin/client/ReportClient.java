package io.portcullis.admin.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/** report-service message tracking. */
@RegisterRestClient(configKey = "report")
@Path("/api/v1/tracking")
@Produces(MediaType.APPLICATION_JSON)
public interface ReportClient {

    @GET
    Response search(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("{id}")
    Response get(@PathParam("id") String id);
}
