package io.portcullis.admin.rest;

import io.portcullis.admin.client.PolicyClient;
import io.portcullis.admin.proxy.Downstream;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
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
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code /api/v1/policy/...}, proxied to policy-service. Reads (snapshot, domains, rules, settings, versions, bundle
 * export): admin, auditor. Writes, bundle import and the audit log: admin. Changes carry the authenticated user as
 * actor, never a caller's own header.
 */
@Path("/api/v1/policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {
    private static final String SERVICE = "policy-service";

    /** A policy version number. */
    private static final Pattern VERSION = Pattern.compile("^[0-9]{1,18}$");

    private final PolicyClient policy;
    private final Downstream downstream;
    private final SecurityIdentity identity;

    public PolicyResource(@RestClient PolicyClient policy, Downstream downstream, SecurityIdentity identity) {
        this.policy = policy;
        this.downstream = downstream;
        this.identity = identity;
    }

    @GET
    @Path("snapshot")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response snapshot(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> policy.snapshot(uri.getQueryParameters()));
    }

    @GET
    @Path("domains")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response domains(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> policy.domains(uri.getQueryParameters()));
    }

    @POST
    @Path("domains")
    @RolesAllowed(Roles.ADMIN)
    public Response addDomain(byte[] body) {
        return downstream.relay(SERVICE, () -> policy.addDomain(body, actor()));
    }

    @DELETE
    @Path("domains/{domain}")
    @RolesAllowed(Roles.ADMIN)
    public Response deleteDomain(@PathParam("domain") String domain) {
        Response bad = Downstream.rejectUnsafeSegment("domain", domain);
        return bad != null ? bad : downstream.relay(SERVICE, () -> policy.deleteDomain(domain, actor()));
    }

    @GET
    @Path("rules")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response rules(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> policy.rules(uri.getQueryParameters()));
    }

    @POST
    @Path("rules")
    @RolesAllowed(Roles.ADMIN)
    public Response addRule(byte[] body) {
        return downstream.relay(SERVICE, () -> policy.addRule(body, actor()));
    }

    @PUT
    @Path("rules/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response updateRule(@PathParam("id") String id, byte[] body) {
        Response bad = Downstream.rejectUnsafeSegment("rule id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> policy.updateRule(id, body, actor()));
    }

    @DELETE
    @Path("rules/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response deleteRule(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("rule id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> policy.deleteRule(id, actor()));
    }

    @GET
    @Path("templates")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response templates() {
        return downstream.relay(SERVICE, policy::templates);
    }

    @GET
    @Path("templates/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response template(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("template id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> policy.template(id));
    }

    @PUT
    @Path("templates/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response putTemplate(@PathParam("id") String id, byte[] body) {
        Response bad = Downstream.rejectUnsafeSegment("template id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> policy.putTemplate(id, body, actor()));
    }

    @DELETE
    @Path("templates/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response deleteTemplate(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("template id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> policy.deleteTemplate(id, actor()));
    }

    @GET
    @Path("settings")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response settings(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> policy.settings(uri.getQueryParameters()));
    }

    @PUT
    @Path("settings")
    @RolesAllowed(Roles.ADMIN)
    public Response updateSettings(byte[] body) {
        return downstream.relay(SERVICE, () -> policy.updateSettings(body, actor()));
    }

    @GET
    @Path("audit")
    @RolesAllowed(Roles.ADMIN)
    public Response audit(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> policy.audit(uri.getQueryParameters()));
    }

    @GET
    @Path("versions/{version}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response version(@PathParam("version") String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            return Downstream.rejectUnsafeSegment("version", null);
        }
        return downstream.relay(SERVICE, () -> policy.version(version));
    }

    @GET
    @Path("bundle")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response exportBundle(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> policy.exportBundle(uri.getQueryParameters()));
    }

    @POST
    @Path("bundle")
    @RolesAllowed(Roles.ADMIN)
    public Response importBundle(byte[] body) {
        return downstream.relay(SERVICE, () -> policy.importBundle(body, actor()));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    /** Rule simulation on recorded mail: changes nothing, but shows recorded mail, so admin only. */
    @POST
    @Path("simulate")
    @RolesAllowed(Roles.ADMIN)
    public Response simulate(byte[] body) {
        return downstream.relay(SERVICE, () -> policy.simulate(body));
    }
}
