package io.portcullis.admin.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * policy-service's spam learning endpoints (same configuration as {@link PolicyClient}: config key {@code policy}).
 * The reported message is an {@link InputStream} sent as it is read, never buffered whole.
 */
@RegisterRestClient(configKey = "policy")
@Path("/api/v1/spam")
@Produces(MediaType.APPLICATION_JSON)
public interface SpamClient {

    @POST
    @Path("feedback")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Response feedback(@RestQuery MultivaluedMap<String, String> query,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body);

    @GET
    @Path("learned")
    Response learned(@RestQuery MultivaluedMap<String, String> query);
}
