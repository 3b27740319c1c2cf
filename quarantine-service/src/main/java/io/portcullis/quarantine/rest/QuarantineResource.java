package io.portcullis.quarantine.rest;

import io.portcullis.quarantine.service.QuarantineCommands;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.service.QuarantineQueries;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/**
 * {@code /api/v1/quarantine}: list, fetch, raw bytes, release, delete. Release and delete answer 202 once the event
 * is acknowledged by Kafka; the index follows when the state consumer applies it. Internal API: it trusts the
 * {@code X-Portcullis-Actor} header, so only admin-api (which authenticates users) may reach it.
 */
@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineResource {
    static final String ACTOR_HEADER = "X-Portcullis-Actor";
    static final String DEFAULT_ACTOR = "api";
    private static final int MAX_ACTOR = 128;

    private final QuarantineQueries queries;
    private final QuarantineCommands commands;

    public QuarantineResource(QuarantineQueries queries, QuarantineCommands commands) {
        this.queries = queries;
        this.commands = commands;
    }

    @GET
    public QuarantinePage list(@QueryParam("status") String status, @QueryParam("sender") String sender,
            @QueryParam("recipient") String recipient, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        QuarantineQueries.Page page = queries.list(status, sender, recipient, integer("limit", limit),
                integer("offset", offset));
        return new QuarantinePage(page.items().stream().map(QuarantineItem::of).toList(), page.total(),
                page.limit(), page.offset());
    }

    @GET
    @Path("{id}")
    public QuarantineItem get(@PathParam("id") String id) {
        return QuarantineItem.of(queries.get(id));
    }

    @GET
    @Path("{id}/raw")
    @Produces({"message/rfc822", MediaType.APPLICATION_JSON})
    public Response raw(@PathParam("id") String id) {
        InputStream body = queries.raw(id);
        StreamingOutput stream = out -> {
            try (InputStream in = body) {
                in.transferTo(out);
            }
        };
        return Response.ok(stream, "message/rfc822")
                .header("Content-Disposition", "attachment; filename=\"" + id + ".eml\"")
                .build();
    }

    @POST
    @Path("{id}/release")
    public Response release(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor) {
        return Response.accepted(commands.release(id, actor(actor))).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor) {
        return Response.accepted(commands.delete(id, actor(actor))).build();
    }

    static String actor(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT_ACTOR;
        }
        String actor = header.trim();
        if (actor.length() > MAX_ACTOR || actor.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new QuarantineProblem(Kind.INVALID, ACTOR_HEADER + " is not a plausible user name");
        }
        return actor;
    }

    private static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new QuarantineProblem(Kind.INVALID, name + " must be an integer");
        }
    }
}
