package io.portcullis.policy.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.policy.api.BundleImportResult;
import io.portcullis.policy.api.ErrorBody;
import io.portcullis.policy.bundle.BundleService;
import io.portcullis.policy.service.Actors;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Signed policy bundles: export this cluster's rules, import another's (docs/policy.md). */
@Path("/api/v1/policy/bundle")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policy bundles", description = "Export and import of HMAC-signed rule bundles between clusters")
public class BundleResource {
    private final BundleService bundles;

    public BundleResource(BundleService bundles) {
        this.bundles = bundles;
    }

    @GET
    @Operation(summary = "Export the rules as a signed bundle",
            description = "All rules (enabled or not) in the full form, or only the rules named by rule=; with"
                    + " outbreak=true and expiresAt an outbreak bundle whose rules expire then.")
    @APIResponse(responseCode = "200", description = "the signed bundle")
    @APIResponse(responseCode = "400", description = "bad outbreak or expiresAt",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "a named rule does not exist",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "no bundle key configured",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public ObjectNode export(
            @Parameter(description = "make an outbreak bundle") @QueryParam("outbreak") boolean outbreak,
            @Parameter(description = "outbreak bundles: ISO-8601 instant when the rules expire")
            @QueryParam("expiresAt") String expiresAt,
            @Parameter(description = "export only these rule ids") @QueryParam("rule") List<String> rules) {
        return bundles.export(outbreak, expiresAt == null ? null : instant(expiresAt), rules);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a signed bundle",
            description = "Checks the signature, validates every rule and the resulting policy, then in one"
                    + " transaction and one policy version replaces the rules of earlier bundles of the same source"
                    + " (an outbreak bundle only adds its expiring rules). Any error changes nothing.")
    @APIResponse(responseCode = "200", description = "imported")
    @APIResponse(responseCode = "400", description = "signature missing or wrong (field signature), malformed bundle"
            + " or invalid rule (field rules[i]....)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "413", description = "too large",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "no bundle key configured",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public BundleImportResult importBundle(byte[] body, @HeaderParam(Actors.HEADER) String actor)
            throws java.io.IOException {
        return bundles.apply(bundles.verify(body), actor);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new io.portcullis.policy.service.InvalidPolicyException("expiresAt",
                    "expiresAt is an ISO-8601 instant like 2026-12-01T00:00:00Z");
        }
    }
}
