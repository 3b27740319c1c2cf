package io.portcullis.quarantine.digest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The one-click links of digests, {@code GET|POST /api/v1/digest-links/{token}} (admin-api serves them without login; the token is verified here).
 * GET describes a link and never acts.
 */
@Path("/api/v1/digest-links")
@Produces(MediaType.APPLICATION_JSON)
public class DigestResource {
    private final DigestLinks links;

    public DigestResource(DigestLinks links) {
        this.links = links;
    }

    @GET
    @Path("{token}")
    public DigestLinks.LinkView describe(@PathParam("token") String token) {
        return links.describe(token);
    }

    @POST
    @Path("{token}")
    public DigestLinks.LinkDone use(@PathParam("token") String token) {
        return links.use(token);
    }
}
