package io.portcullis.quarantine.user;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** policy-service's sender lists (docs/sender-lists.md): "approve sender" adds a SAFE entry owned by the user. */
@RegisterRestClient(configKey = "policy")
@Path("/api/v1/sender-lists")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SenderListClient {

    /** Body {@code {"owner","sender","kind","note"}}; 201, 400 naming the field, 409 already listed. */
    @POST
    Response add(SenderListEntry entry, @HeaderParam("X-Portcullis-Actor") String actor);

    /** A new entry. */
    record SenderListEntry(String owner, String sender, String kind, String note) {
    }
}
