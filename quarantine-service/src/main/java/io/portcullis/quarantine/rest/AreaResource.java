package io.portcullis.quarantine.rest;

import io.portcullis.quarantine.entity.QuarantineArea;
import io.portcullis.quarantine.service.AreaService;
import io.portcullis.quarantine.service.AreaService.AreaInput;
import io.portcullis.quarantine.service.QuarantineProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/quarantine/areas}: list, get, create, update, delete quarantine areas. Built-in areas and areas
 * still holding items cannot be deleted (409). Invalid input: 400 with {@code field}. Admin-api allows changes to
 * admins only.
 */
@Path("/api/v1/quarantine/areas")
@Produces(MediaType.APPLICATION_JSON)
public class AreaResource {

    /** An area as the API shows it. */
    public record Area(String name, int retentionDays, String userRight, String description, boolean builtIn,
            Instant createdAt, Instant updatedAt, String updatedBy) {
        static Area of(QuarantineArea a) {
            return new Area(a.name, a.retentionDays, a.userRight.name(), a.description, a.builtIn, a.createdAt,
                    a.updatedAt, a.updatedBy);
        }
    }

    /** Create/update body. {@code name} only on create (update takes it from the path). */
    public record AreaBody(String name, Integer retentionDays, String userRight, String description) {
    }

    /** The list answer. */
    public record Areas(List<Area> areas) {
    }

    private final AreaService areas;

    public AreaResource(AreaService areas) {
        this.areas = areas;
    }

    @GET
    public Areas list() {
        return new Areas(areas.list().stream().map(Area::of).toList());
    }

    @GET
    @Path("{name}")
    public Area get(@PathParam("name") String name) {
        return Area.of(areas.get(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(AreaBody body, @HeaderParam(QuarantineResource.ACTOR_HEADER) String actor) {
        if (body == null) {
            throw QuarantineProblem.invalid("body", "a JSON object with name, retentionDays, userRight, description");
        }
        Area created = Area.of(areas.create(body.name(), input(body), QuarantineResource.actor(actor)));
        return Response.created(URI.create("/api/v1/quarantine/areas/" + created.name())).entity(created).build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Area update(@PathParam("name") String name, AreaBody body,
            @HeaderParam(QuarantineResource.ACTOR_HEADER) String actor) {
        if (body == null) {
            throw QuarantineProblem.invalid("body", "a JSON object with retentionDays, userRight, description");
        }
        if (body.name() != null && !body.name().equals(name)) {
            throw QuarantineProblem.invalid("name", "an area cannot be renamed");
        }
        return Area.of(areas.update(name, input(body), QuarantineResource.actor(actor)));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        areas.delete(name);
        return Response.noContent().build();
    }

    private static AreaInput input(AreaBody body) {
        return new AreaInput(body.retentionDays(), body.userRight(), body.description());
    }
}
