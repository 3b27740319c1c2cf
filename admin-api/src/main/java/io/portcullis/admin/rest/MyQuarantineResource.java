package io.portcullis.admin.rest;

import io.portcullis.admin.client.UserQuarantineClient;
import io.portcullis.admin.proxy.Downstream;
import io.portcullis.admin.service.OwnerResolver;
import io.portcullis.admin.service.OwnerResolver.Owner;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/my/quarantine} and {@code /api/v1/my/digest}: an end user's own quarantine. Any authenticated user
 * whose token carries a verified {@code email}; the owner set (that address plus its directory aliases) goes to
 * quarantine-service in a header it trusts, and quarantine-service scopes every query by it (404 for anything else).
 * Previews and attachments get headers that keep a browser from running or sniffing anything.
 */
@Path("/api/v1/my")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class MyQuarantineResource {
    private static final String SERVICE = "quarantine-service";
    /** Nothing may load, run, submit or frame: the sanitised preview needs none of it. */
    static final String PREVIEW_CSP = "default-src 'none'; img-src 'none'; style-src 'none'; script-src 'none'; "
            + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox";
    private static final Pattern INDEX = Pattern.compile("^[1-9][0-9]{0,3}$");

    private final UserQuarantineClient quarantine;
    private final Downstream downstream;
    private final OwnerResolver owners;
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public MyQuarantineResource(@RestClient UserQuarantineClient quarantine, Downstream downstream,
            OwnerResolver owners, SecurityIdentity identity, JsonWebToken token) {
        this.quarantine = quarantine;
        this.downstream = downstream;
        this.owners = owners;
        this.identity = identity;
        this.token = token;
    }

    @GET
    @Path("quarantine")
    public Response list(@Context UriInfo uri) {
        return asOwner(o -> quarantine.list(uri.getQueryParameters(), o.header(), o.source().header(), actor()));
    }

    @GET
    @Path("quarantine/{id}")
    public Response get(@PathParam("id") String id) {
        return asOwner(id, o -> quarantine.get(id, o.header(), o.source().header(), actor()));
    }

    @GET
    @Path("quarantine/{id}/preview")
    public Response preview(@PathParam("id") String id) {
        return hardened(asOwner(id, o -> quarantine.preview(id, o.header(), o.source().header(), actor())));
    }

    @GET
    @Path("quarantine/{id}/preview/html")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response previewHtml(@PathParam("id") String id) {
        return hardened(asOwner(id, o -> quarantine.previewHtml(id, o.header(), o.source().header(), actor())));
    }

    @GET
    @Path("quarantine/{id}/attachments/{index}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response attachment(@PathParam("id") String id, @PathParam("index") String index) {
        if (!INDEX.matcher(index).matches()) {
            return Downstream.rejectUnsafeSegment("attachment number", "");
        }
        Response r = asOwner(id, o -> quarantine.attachment(id, index, o.header(), o.source().header(), actor()));
        Response.ResponseBuilder b = Response.fromResponse(hardened(r));
        if (r.getStatus() == 200) {
            // whatever the downstream said: a download, never rendered
            b.type(MediaType.APPLICATION_OCTET_STREAM_TYPE);
            String disposition = r.getHeaderString("Content-Disposition");
            if (disposition == null || !disposition.startsWith("attachment")) {
                b.header("Content-Disposition", null).header("Content-Disposition", "attachment");
            }
        }
        return b.build();
    }

    @POST
    @Path("quarantine/{id}/release")
    public Response release(@PathParam("id") String id) {
        return asOwner(id, o -> quarantine.act(id, "release", o.header(), o.source().header(), actor()));
    }

    @POST
    @Path("quarantine/{id}/request-release")
    public Response requestRelease(@PathParam("id") String id) {
        return asOwner(id, o -> quarantine.act(id, "request-release", o.header(), o.source().header(), actor()));
    }

    @POST
    @Path("quarantine/{id}/approve-sender")
    public Response approveSender(@PathParam("id") String id) {
        return asOwner(id, o -> quarantine.act(id, "approve-sender", o.header(), o.source().header(), actor()));
    }

    @DELETE
    @Path("quarantine/{id}")
    public Response delete(@PathParam("id") String id) {
        return asOwner(id, o -> quarantine.delete(id, o.header(), o.source().header(), actor()));
    }

    @GET
    @Path("digest")
    public Response digest() {
        return asOwner(o -> quarantine.digest(o.header(), o.source().header(), actor()));
    }

    @PUT
    @Path("digest")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setDigest(byte[] body) {
        return asOwner(o -> quarantine.setDigest(body, o.header(), o.source().header(), actor()));
    }

    private Response asOwner(String id, Function<Owner, Response> call) {
        Response bad = Downstream.rejectUnsafeSegment("message id", id);
        return bad != null ? bad : asOwner(call);
    }

    private Response asOwner(Function<Owner, Response> call) {
        Optional<Owner> owner = owners.resolve(token);
        if (owner.isEmpty()) {
            return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(403, "Forbidden",
                            "your account has no verified email address, so it owns no quarantined mail"))
                    .build();
        }
        return downstream.relay(SERVICE, () -> call.apply(owner.get()));
    }

    private static Response hardened(Response r) {
        return Response.fromResponse(r)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", PREVIEW_CSP)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
