package io.portcullis.admin.rest;

import io.portcullis.admin.client.IpProfilerClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/ip-profiler/...}, proxied to policy-service: the block list and the allow list. Reads: admin,
 * auditor. Writes (allow, remove from the allow list, unblock): admin, sent with the authenticated user as actor.
 * policy-service validates IPs and CIDR blocks; here a path segment only has to look like part of one.
 */
@Path("/api/v1/ip-profiler")
@Produces(MediaType.APPLICATION_JSON)
public class IpProfilerResource {
    private static final String SERVICE = "policy-service";
    /** An IPv4 or IPv6 literal's characters (IPv6 may start with ':'); never a separator or "..". */
    private static final Pattern IP_SEGMENT = Pattern.compile("^[0-9A-Fa-f:.]{1,45}$");
    private static final Pattern PREFIX_SEGMENT = Pattern.compile("^[0-9]{1,3}$");

    private final IpProfilerClient profiler;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public IpProfilerResource(@RestClient IpProfilerClient profiler, Downstream downstream,
            SecurityIdentity identity) {
        this.profiler = profiler;
        this.downstream = downstream;
        this.identity = identity;
    }

    @GET
    @Path("blocks")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response blocks() {
        return downstream.relay(SERVICE, profiler::blocks);
    }

    @POST
    @Path("blocks/{ip}/unblock")
    @RolesAllowed(Roles.ADMIN)
    public Response unblock(@PathParam("ip") String ip) {
        Response bad = rejectUnsafe("ip", ip, IP_SEGMENT);
        return bad != null ? bad : downstream.relay(SERVICE, () -> profiler.unblock(ip, actor()));
    }

    @GET
    @Path("allow")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response allowList() {
        return downstream.relay(SERVICE, profiler::allowList);
    }

    @POST
    @Path("allow")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response allow(byte[] body) {
        return downstream.relay(SERVICE, () -> profiler.allow(body, actor()));
    }

    @DELETE
    @Path("allow/{ip}")
    @RolesAllowed(Roles.ADMIN)
    public Response disallow(@PathParam("ip") String ip) {
        Response bad = rejectUnsafe("ip", ip, IP_SEGMENT);
        return bad != null ? bad : downstream.relay(SERVICE, () -> profiler.disallow(ip, actor()));
    }

    /** A CIDR block: {@code DELETE /api/v1/ip-profiler/allow/198.51.100.0/24}. */
    @DELETE
    @Path("allow/{ip}/{prefix}")
    @RolesAllowed(Roles.ADMIN)
    public Response disallowBlock(@PathParam("ip") String ip, @PathParam("prefix") String prefix) {
        Response bad = rejectUnsafe("ip", ip, IP_SEGMENT);
        if (bad == null) {
            bad = rejectUnsafe("prefix", prefix, PREFIX_SEGMENT);
        }
        return bad != null ? bad : downstream.relay(SERVICE, () -> profiler.disallowBlock(ip, prefix, actor()));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Response rejectUnsafe(String name, String value, Pattern pattern) {
        if (value != null && pattern.matcher(value).matches() && !value.contains("..")) {
            return null;
        }
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(400, "Bad Request", "malformed " + name)).build();
    }
}
