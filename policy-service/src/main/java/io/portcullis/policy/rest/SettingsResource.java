package io.portcullis.policy.rest;

import io.portcullis.policy.api.SettingsRequest;
import io.portcullis.policy.api.SettingsView;
import io.portcullis.policy.service.Actors;
import io.portcullis.policy.service.PolicyService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Global settings: the spam threshold and the blocked attachment extensions. */
@Path("/api/v1/policy/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policy settings", description = "Spam threshold and blocked extensions")
public class SettingsResource {
    private final PolicyService policy;

    public SettingsResource(PolicyService policy) {
        this.policy = policy;
    }

    @GET
    public SettingsView get() {
        return policy.settings();
    }

    @PUT
    @Operation(summary = "Replace both settings", description = "Audited with the X-Portcullis-Actor header as"
            + " actor; 400 naming the field.")
    public SettingsView replace(SettingsRequest request, @HeaderParam(Actors.HEADER) String actor) {
        return policy.updateSettings(request, actor);
    }
}
