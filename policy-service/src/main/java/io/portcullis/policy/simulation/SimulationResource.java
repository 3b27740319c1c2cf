package io.portcullis.policy.simulation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/v1/policy/simulate}: what a candidate rule would have done to the last recorded messages. 400
 * naming the field for a bad request or rule, 503 when report-service can't answer (error table in
 * {@link io.portcullis.policy.rest.ErrorMapper}).
 */
@Path("/api/v1/policy/simulate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SimulationResource {
    private final SimulationService simulation;

    public SimulationResource(SimulationService simulation) {
        this.simulation = simulation;
    }

    @POST
    public SimulationResult simulate(SimulationRequest request) {
        return simulation.simulate(request);
    }
}
