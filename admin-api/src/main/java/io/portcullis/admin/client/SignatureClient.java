package io.portcullis.admin.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * policy-service's signature bundles, same paths as admin-api exposes. A client of its own (config key
 * {@code signatures}, same URL as policy) so uploads get a longer read timeout. The upload body is an
 * {@link InputStream} the client sends as it is read, never buffered whole.
 */
@RegisterRestClient(configKey = "signatures")
@Path("/api/v1/signatures")
@Produces(MediaType.APPLICATION_JSON)
public interface SignatureClient {

    @GET
    Response list(@RestQuery MultivaluedMap<String, String> query);

    @GET
    @Path("active")
    Response active();

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    Response publish(@RestQuery MultivaluedMap<String, String> query,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body);

    @POST
    @Path("{version}/activate")
    Response activate(@PathParam("version") String version);
}
