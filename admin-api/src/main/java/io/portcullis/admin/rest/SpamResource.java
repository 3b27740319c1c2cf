package io.portcullis.admin.rest;

import io.portcullis.admin.client.SpamClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/spam/...}, proxied to policy-service.
 *
 * <ul>
 * <li>{@code POST /api/v1/spam/feedback?label=spam|ham[&messageId=][&tenant=]} with the raw message: any authenticated
 * user may report spam ("this is spam"); reporting ham (which teaches the filter to let similar mail through) and
 * choosing the tenant are for admins only (403 otherwise, nothing proxied). The actor sent on is always the
 * authenticated user and the source {@code admin} or {@code user_report} by role; callers cannot set either.</li>
 * <li>{@code GET /api/v1/spam/learned[?tenant=T]}: admin, auditor.</li>
 * </ul>
 */
@Path("/api/v1/spam")
@Produces(MediaType.APPLICATION_JSON)
public class SpamResource {
    private static final String SERVICE = "policy-service";

    private final SpamClient spam;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public SpamResource(@RestClient SpamClient spam, Downstream downstream, SecurityIdentity identity) {
        this.spam = spam;
        this.downstream = downstream;
        this.identity = identity;
    }

    @POST
    @Path("feedback")
    @Consumes({"message/rfc822", MediaType.APPLICATION_OCTET_STREAM})
    @Authenticated
    public Response feedback(@Context UriInfo uri, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        MultivaluedMap<String, String> in = uri.getQueryParameters();
        boolean admin = identity.hasRole(Roles.ADMIN);
        List<String> labels = in.get("label");
        if (!admin && labels != null && labels.stream().anyMatch(l -> !"spam".equals(
                l == null ? "" : l.toLowerCase(Locale.ROOT)))) {
            return forbidden("only admins may report ham (label=ham teaches the filter to let similar mail through)");
        }
        if (!admin && in.containsKey("tenant")) {
            return forbidden("only admins may choose the tenant");
        }
        MultivaluedMap<String, String> out = new MultivaluedHashMap<>();
        copy(in, out, "label");
        copy(in, out, "messageId");
        copy(in, out, "tenant");
        out.putSingle("actor", actor());
        out.putSingle("source", admin ? "admin" : "user_report");
        return downstream.relay(SERVICE, () -> spam.feedback(out, contentType, body));
    }

    @GET
    @Path("learned")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response learned(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> spam.learned(uri.getQueryParameters()));
    }

    private static void copy(MultivaluedMap<String, String> in, MultivaluedMap<String, String> out, String name) {
        List<String> values = in.get(name);
        if (values != null) {
            out.put(name, values);
        }
    }

    /** The authenticated user as policy-service accepts an actor: {@code [A-Za-z0-9._@+-]}, at most 128. */
    private String actor() {
        String name = identity.getPrincipal().getName().replaceAll("[^A-Za-z0-9._@+-]", "_");
        if (name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0))) {
            name = "u" + name;
        }
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    private static Response forbidden(String message) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(403, "Forbidden", message)).build();
    }
}
