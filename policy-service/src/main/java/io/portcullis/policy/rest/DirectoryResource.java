package io.portcullis.policy.rest;

import io.portcullis.policy.api.DirectoryLookupView;
import io.portcullis.policy.api.ErrorBody;
import io.portcullis.policy.directory.DirectoryService;
import io.portcullis.policy.directory.DirectoryStatus;
import io.portcullis.policy.directory.LookupResult;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The LDAP directory: who an address belongs to (canonical address, aliases, groups including nested ones) for
 * recipient validation at the edge and LDAP-group rule scopes; and the directory's status.
 */
@Path("/api/v1/directory")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "directory", description = "LDAP users, aliases and groups")
public class DirectoryResource {
    private final DirectoryService directory;

    public DirectoryResource(DirectoryService directory) {
        this.directory = directory;
    }

    @GET
    @Path("lookup")
    @Blocking
    @Operation(summary = "Look an address up in the directory",
            description = "Finds the user holding the address as primary address or alias (case-insensitive) and "
                    + "every group the user belongs to, nested groups included. Answers are cached (found and "
                    + "unknown for different times); an unavailable directory is never reported as unknown.")
    @APIResponse(responseCode = "200", description = "The address belongs to a user",
            content = @Content(schema = @Schema(implementation = DirectoryLookupView.class)))
    @APIResponse(responseCode = "400", description = "Not an address (field \"address\")",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "404", description = "The directory knows no such address",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @APIResponse(responseCode = "503", description = "The directory is not configured (error \"directory not "
            + "configured\") or unavailable (error \"directory unavailable: ...\")",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public Response lookup(@Parameter(description = "the address, local@domain", required = true)
            @QueryParam("address") String address) {
        Optional<String> checked = DirectoryService.checkAddress(address);
        if (checked.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "not an address", "address");
        }
        LookupResult result = directory.lookup(checked.get());
        return switch (result.outcome()) {
            case FOUND -> Response.ok(DirectoryLookupView.of(checked.get(), result.entry())).build();
            case NOT_FOUND -> error(Response.Status.NOT_FOUND, "unknown address", null);
            case NOT_CONFIGURED -> error(Response.Status.SERVICE_UNAVAILABLE, "directory not configured", null);
            case UNAVAILABLE -> error(Response.Status.SERVICE_UNAVAILABLE,
                    "directory unavailable: " + result.problem(), null);
        };
    }

    @GET
    @Path("status")
    @Blocking
    @Operation(summary = "Directory status",
            description = "Whether a directory is configured, whether it answers now, and cache counts")
    @APIResponse(responseCode = "200", description = "The status",
            content = @Content(schema = @Schema(implementation = DirectoryStatus.class)))
    public DirectoryStatus status() {
        return directory.status();
    }

    private static Response error(Response.Status status, String error, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(error, field))
                .build();
    }
}
