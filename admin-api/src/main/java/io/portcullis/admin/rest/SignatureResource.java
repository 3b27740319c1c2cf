package io.portcullis.admin.rest;

import io.portcullis.admin.client.SignatureClient;
import io.portcullis.admin.proxy.Downstream;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/signatures/...}, proxied to policy-service. Reads: admin, auditor. Writes (upload, activate):
 * admin. The upload (a tar or tar.gz of ClamAV databases, possibly hundreds of MB) is streamed through with its
 * content type and query ({@code version}); policy-service checks it.
 */
@Path("/api/v1/signatures")
@Produces(MediaType.APPLICATION_JSON)
public class SignatureResource {
    private static final String SERVICE = "policy-service";
    /** A bundle version as policy-service allows it; "." and ".." could not be a path segment. */
    private static final Pattern VERSION = Pattern.compile("^[0-9A-Za-z._-]{1,64}$");

    private final SignatureClient signatures;
    private final Downstream downstream;

    public SignatureResource(@RestClient SignatureClient signatures, Downstream downstream) {
        this.signatures = signatures;
        this.downstream = downstream;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response list(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> signatures.list(uri.getQueryParameters()));
    }

    @GET
    @Path("active")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response active() {
        return downstream.relay(SERVICE, signatures::active);
    }

    @POST
    @Consumes({"application/x-tar", "application/gzip", "application/x-gzip", "application/tar",
            "application/tar+gzip", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed(Roles.ADMIN)
    public Response publish(@Context UriInfo uri, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        return downstream.relay(SERVICE, () -> signatures.publish(uri.getQueryParameters(), contentType, body));
    }

    @POST
    @Path("{version}/activate")
    @RolesAllowed(Roles.ADMIN)
    public Response activate(@PathParam("version") String version) {
        if (version == null || !VERSION.matcher(version).matches() || version.equals(".") || version.equals("..")) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(400, "Bad Request", "malformed version")).build();
        }
        return downstream.relay(SERVICE, () -> signatures.activate(version));
    }
}
