package io.portcullis.admin.rest;

import io.portcullis.admin.client.ReportClient;
import io.portcullis.admin.proxy.Downstream;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** {@code /api/v1/tracking/...}, proxied to report-service. Read-only: admin, auditor. */
@Path("/api/v1/tracking")
@Produces(MediaType.APPLICATION_JSON)
public class TrackingResource {
    private static final String SERVICE = "report-service";

    private final ReportClient report;
    private final Downstream downstream;

    public TrackingResource(@RestClient ReportClient report, Downstream downstream) {
        this.report = report;
        this.downstream = downstream;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response search(@Context UriInfo uri) {
        return downstream.relay(SERVICE, () -> report.search(uri.getQueryParameters()));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    public Response get(@PathParam("id") String id) {
        Response bad = Downstream.rejectUnsafeSegment("message id", id);
        return bad != null ? bad : downstream.relay(SERVICE, () -> report.get(id));
    }
}
