package io.portcullis.policy.rest;

import io.portcullis.contracts.policy.NotificationTemplate;
import io.portcullis.policy.service.Actors;
import io.portcullis.policy.service.TemplateService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The editable texts of policy notices ({@code notify} actions). */
@Path("/api/v1/policy/templates")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "notification templates", description = "Texts of the notices notify actions send")
public class TemplateResource {
    private final TemplateService templates;

    public TemplateResource(TemplateService templates) {
        this.templates = templates;
    }

    @GET
    public List<NotificationTemplate> list() {
        return templates.list();
    }

    @GET
    @Path("/{id}")
    public NotificationTemplate get(@PathParam("id") String id) {
        return templates.get(id);
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Create or replace a template", description = "Placeholders: {messageId} {sender}"
            + " {recipients} {subject} {rule} {action}; 400 naming the field; versioned and audited with the"
            + " X-Portcullis-Actor header as actor.")
    public NotificationTemplate put(@PathParam("id") String id, TemplateService.TemplateText text,
            @HeaderParam(Actors.HEADER) String actor) {
        return templates.put(id, text, actor);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(Actors.HEADER) String actor) {
        templates.delete(id, actor);
        return Response.noContent().build();
    }
}
