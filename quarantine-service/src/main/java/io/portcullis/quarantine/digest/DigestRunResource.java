package io.portcullis.quarantine.digest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/v1/quarantine/digests/run[?force=true]}: send due digests now (admin-api: admins). */
@Path("/api/v1/quarantine/digests")
@Produces(MediaType.APPLICATION_JSON)
public class DigestRunResource {
    private final DigestRunner runner;

    public DigestRunResource(DigestRunner runner) {
        this.runner = runner;
    }

    @POST
    @Path("run")
    public DigestRunner.RunResult run(@QueryParam("force") boolean force) {
        return runner.run(force);
    }
}
