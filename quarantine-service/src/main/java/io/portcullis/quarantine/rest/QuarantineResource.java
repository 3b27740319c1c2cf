package io.portcullis.quarantine.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.quarantine.service.Cursor;
import io.portcullis.quarantine.service.QuarantineCommands;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.service.QuarantineQueries;
import io.portcullis.quarantine.service.Role;
import io.portcullis.quarantine.service.SearchFilter;
import io.portcullis.quarantine.service.SearchPage;
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
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v1/quarantine}: list and search, fetch, raw bytes, release, delete (per recipient) for admins and
 * quarantine managers ({@code X-Portcullis-Role}: ADMIN, the default, or MANAGER; USER is refused with 403). Release and delete answer 202 once the event
 * is acknowledged by Kafka; the index follows when the state consumer applies it. Internal API: it trusts the
 * {@code X-Portcullis-Actor} header, so only admin-api (which authenticates users) may reach it.
 */
@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineResource {
    static final String ACTOR_HEADER = "X-Portcullis-Actor";
    static final String DEFAULT_ACTOR = "api";
    private static final int MAX_ACTOR = 128;
    private static final int MAX_RECIPIENTS = 1000;

    private final QuarantineQueries queries;
    private final QuarantineCommands commands;
    private final ObjectMapper json;

    public QuarantineResource(QuarantineQueries queries, QuarantineCommands commands, ObjectMapper json) {
        this.queries = queries;
        this.commands = commands;
        this.json = json;
    }

    @GET
    public QuarantinePage list(@QueryParam("area") List<String> area, @QueryParam("status") String status,
            @QueryParam("sender") String sender, @QueryParam("recipient") List<String> recipient,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("q") String q,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset, @HeaderParam(Roles.HEADER) String role) {
        Roles.adminOrManager(role);
        SearchFilter filter = queries.defaultFilter()
                .withAreas(split(area))
                .withStatus(QuarantineQueries.status(status))
                .withSender(sender)
                .withOwners(recipient == null || split(recipient).isEmpty() ? null : Set.copyOf(split(recipient)))
                .withRange(instant("from", from), instant("to", to))
                .withQuery(q)
                .withTotal(true);
        Integer size = integer("limit", limit);
        Integer skip = integer("offset", offset);
        filter = new SearchFilter(filter.areas(), filter.status(), filter.sender(), filter.owners(), filter.from(),
                filter.to(), filter.q(), cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor.trim()),
                size == null ? filter.limit() : size, skip == null ? 0 : skip, true);
        SearchPage page = queries.search(filter);
        return new QuarantinePage(page.items().stream()
                .map(m -> QuarantineItem.of(m, page.recipients().get(m.itemId))).toList(),
                page.total(), page.limit(), page.offset(), page.next() == null ? null : page.next().encode());
    }

    @GET
    @Path("{id}")
    public QuarantineItem get(@PathParam("id") String id, @HeaderParam(Roles.HEADER) String role) {
        Roles.adminOrManager(role);
        return QuarantineItem.of(queries.get(id), queries.recipients(id));
    }

    @GET
    @Path("{id}/raw")
    @Produces({"message/rfc822", MediaType.APPLICATION_JSON})
    public Response raw(@PathParam("id") String id, @HeaderParam(Roles.HEADER) String role) {
        Roles.adminOrManager(role);
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

    /** Body (optional): {@code {"recipients": [...]}}, a subset of the item's recipients; all held ones without. */
    @POST
    @Path("{id}/release")
    public Response release(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor,
            @HeaderParam(Roles.HEADER) String role, String body) {
        Role r = Roles.adminOrManager(role);
        return Response.accepted(commands.release(id, actor(actor), r, recipients(body))).build();
    }

    /** Body (optional): {@code {"recipients": [...]}}; all recipients without. */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(ACTOR_HEADER) String actor,
            @HeaderParam(Roles.HEADER) String role, String body) {
        Role r = Roles.adminOrManager(role);
        return Response.accepted(commands.delete(id, actor(actor), r, recipients(body))).build();
    }

    /** The body is read as text whatever its content type (callers without a body send none or text/plain). */
    private List<String> recipients(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        RecipientsRequest body;
        try {
            body = json.readValue(text, RecipientsRequest.class);
        } catch (IOException e) {
            throw QuarantineProblem.invalid("recipients", "the body must be {\"recipients\": [\"address\", ...]}");
        }
        if (body == null || body.recipients() == null) {
            return null;
        }
        if (body.recipients().size() > MAX_RECIPIENTS) {
            throw QuarantineProblem.invalid("recipients", "at most " + MAX_RECIPIENTS + " recipients");
        }
        return body.recipients();
    }

    /** Repeated and comma-separated values, trimmed, without blanks. */
    private static List<String> split(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw QuarantineProblem.invalid(name, name + " must be an ISO-8601 instant such as 2026-03-04T05:06:07Z");
        }
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
            throw QuarantineProblem.invalid(name, name + " must be an integer");
        }
    }
}
