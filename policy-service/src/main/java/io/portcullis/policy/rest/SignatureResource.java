package io.portcullis.policy.rest;

import io.portcullis.policy.api.SignatureBundleList;
import io.portcullis.policy.api.SignatureBundleView;
import io.portcullis.policy.signatures.SignatureBundleService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;

/**
 * Signature bundles (the pattern file). The upload is read as a stream (never buffered whole); gzip is recognised by
 * its magic bytes, whatever the content type says.
 */
@Path("/api/v1/signatures")
@Produces(MediaType.APPLICATION_JSON)
public class SignatureResource {
    private final SignatureBundleService signatures;

    public SignatureResource(SignatureBundleService signatures) {
        this.signatures = signatures;
    }

    @GET
    public SignatureBundleList list() {
        return signatures.list();
    }

    @GET
    @Path("active")
    public SignatureBundleView active() {
        return signatures.active();
    }

    @POST
    @Consumes({"application/x-tar", "application/gzip", "application/x-gzip", "application/tar",
            "application/tar+gzip", MediaType.APPLICATION_OCTET_STREAM})
    public Response publish(@Context UriInfo uri, InputStream body) {
        // read from UriInfo: an empty "?version=" is a bad version, not "no version"
        List<String> version = uri.getQueryParameters().get("version");
        String requested = version == null ? null : version.isEmpty() || version.get(0) == null ? "" : version.get(0);
        return Response.status(Response.Status.CREATED).entity(signatures.publish(requested, body)).build();
    }

    @POST
    @Path("{version}/activate")
    public SignatureBundleView activate(@PathParam("version") String version) {
        return signatures.activate(version);
    }
}
