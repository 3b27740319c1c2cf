package io.portcullis.admin.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;

/** policy-service's directory look-up: the canonical address and aliases of an address (docs/directory.md). */
@RegisterRestClient(configKey = "policy")
@Path("/api/v1/directory/lookup")
@Produces(MediaType.APPLICATION_JSON)
public interface DirectoryClient {

    @GET
    Response lookup(@RestQuery("address") String address);
}
