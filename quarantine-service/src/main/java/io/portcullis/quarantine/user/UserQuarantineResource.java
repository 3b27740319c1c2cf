package io.portcullis.quarantine.user;

import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.digest.DigestSchedule;
import io.portcullis.quarantine.digest.DigestStore;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.service.QuarantineCommands;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.service.QuarantineQueries;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code /api/v1/user-quarantine}: the end-user API behind admin-api's {@code /api/v1/my/...}. Internal: it trusts
 * {@value Owner#HEADER} (the user's verified address and aliases) and {@code X-Portcullis-Actor}, so only admin-api
 * may reach it. Every answer is scoped by the owner; anything else is 404.
 */
@Path("/api/v1/user-quarantine")
@Produces(MediaType.APPLICATION_JSON)
public class UserQuarantineResource {
    private static final String ACTOR = "X-Portcullis-Actor";
    /** Nothing may load, run, submit or frame. */
    public static final String PREVIEW_CSP = "default-src 'none'; img-src 'none'; style-src 'none'; "
            + "script-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox";

    private final UserQuarantine users;
    private final SenderApprovals approvals;
    private final DigestStore digests;
    private final QuarantineConfig config;
    private final Clock clock = Clock.systemUTC();

    public UserQuarantineResource(UserQuarantine users, SenderApprovals approvals, DigestStore digests,
            QuarantineConfig config) {
        this.users = users;
        this.approvals = approvals;
        this.digests = digests;
        this.config = config;
    }

    /** What the digest settings look like. */
    public record DigestSettings(String address, String schedule, boolean chosen) {
    }

    /** Body of a settings change. */
    public record DigestSettingsChange(String schedule) {
    }

    @GET
    @Path("items")
    public UserQuarantine.Page list(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @QueryParam("q") String q,
            @QueryParam("area") String area, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        RecipientStatus st = status == null || status.isBlank() ? null : QuarantineQueries.status(status);
        return users.list(owner(owner, source), q, area, time("from", from, false), time("to", to, true), st,
                integer("limit", limit), integer("offset", offset));
    }

    @GET
    @Path("items/{id}")
    public UserItem get(@HeaderParam(Owner.HEADER) String owner, @HeaderParam(Owner.SOURCE_HEADER) String source,
            @PathParam("id") String id) {
        return users.item(owner(owner, source), id);
    }

    @GET
    @Path("items/{id}/preview")
    public Response preview(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @PathParam("id") String id) {
        return hardened(Response.ok(users.preview(owner(owner, source), id), MediaType.APPLICATION_JSON_TYPE));
    }

    /** The sanitised HTML (or the plain text, escaped) as a document of its own. */
    @GET
    @Path("items/{id}/preview/html")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response previewHtml(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @PathParam("id") String id) {
        MessagePreview preview = users.preview(owner(owner, source), id);
        String body = !preview.html().isEmpty() ? preview.html()
                : "<pre>" + org.jsoup.nodes.Entities.escape(preview.text()) + "</pre>";
        String doc = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + body + "</body></html>";
        return hardened(Response.ok(doc, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")));
    }

    @GET
    @Path("items/{id}/attachments/{index}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response attachment(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @PathParam("id") String id,
            @PathParam("index") String index) {
        Integer n = integer("attachment", index);
        if (n == null || n < 1) {
            throw new QuarantineProblem(Kind.INVALID, "attachment must be a number from 1");
        }
        MessagePreview.Attachment info = users.attachmentInfo(owner(owner, source), id, n);
        StreamingOutput stream = out -> users.copyAttachment(id, n, out);
        String ascii = info.filename().replaceAll("[^A-Za-z0-9._ -]", "_");
        String utf8 = URLEncoder.encode(info.filename(), StandardCharsets.UTF_8).replace("+", "%20");
        return hardened(Response.ok(stream, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8));
    }

    @POST
    @Path("items/{id}/release")
    public Response release(@HeaderParam(Owner.HEADER) String owner, @HeaderParam(Owner.SOURCE_HEADER) String source,
            @HeaderParam(ACTOR) String actor, @PathParam("id") String id) {
        QuarantineCommands.Accepted accepted = users.release(owner(owner, source), id, actor(actor));
        return Response.accepted(accepted).build();
    }

    @POST
    @Path("items/{id}/request-release")
    public Response requestRelease(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @HeaderParam(ACTOR) String actor,
            @PathParam("id") String id) {
        return Response.ok(users.requestRelease(owner(owner, source), id, actor(actor))).build();
    }

    @DELETE
    @Path("items/{id}")
    public Response delete(@HeaderParam(Owner.HEADER) String owner, @HeaderParam(Owner.SOURCE_HEADER) String source,
            @HeaderParam(ACTOR) String actor, @PathParam("id") String id) {
        return Response.accepted(users.delete(owner(owner, source), id, actor(actor))).build();
    }

    /** A SAFE sender-list entry owned by the user's own address for the item's envelope sender. */
    @POST
    @Path("items/{id}/approve-sender")
    public Response approveSender(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @HeaderParam(ACTOR) String actor,
            @PathParam("id") String id) {
        Owner o = owner(owner, source);
        UserQuarantine.Owned owned = users.owned(o, id);
        SenderApprovals.Approved approved = approvals.approve(o.address(), owned.row().sender, id, actor(actor));
        return Response.status(approved.alreadyListed() ? 200 : 201).entity(approved).build();
    }

    @GET
    @Path("digest")
    public DigestSettings digest(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source) {
        Owner o = owner(owner, source);
        return digests.schedule(o.address()).map(s -> new DigestSettings(o.address(), s.code(), true))
                .orElseGet(() -> new DigestSettings(o.address(), config.digest().defaultSchedule(), false));
    }

    @PUT
    @Path("digest")
    @Consumes(MediaType.APPLICATION_JSON)
    public DigestSettings setDigest(@HeaderParam(Owner.HEADER) String owner,
            @HeaderParam(Owner.SOURCE_HEADER) String source, @HeaderParam(ACTOR) String actor,
            DigestSettingsChange change) {
        Owner o = owner(owner, source);
        DigestSchedule schedule = DigestSchedule.of(change == null ? null : change.schedule())
                .orElseThrow(() -> new QuarantineProblem(Kind.INVALID, "schedule must be off, daily or weekly"));
        digests.setSchedule(o.address(), schedule, clock.instant(), actor(actor));
        return new DigestSettings(o.address(), schedule.code(), true);
    }

    private Owner owner(String header, String source) {
        return Owner.parse(header, source, config.user().maxOwnerAddresses());
    }

    private static Response hardened(Response.ResponseBuilder builder) {
        return builder.header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", PREVIEW_CSP)
                .header("Cache-Control", "no-store").build();
    }

    private static String actor(String header) {
        if (header == null || header.isBlank()) {
            return "user";
        }
        String a = header.strip();
        if (a.length() > 128 || a.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new QuarantineProblem(Kind.INVALID, ACTOR + " is not a plausible user name");
        }
        return a;
    }

    /** An ISO instant, or a date (from: its start; to: the start of the next day, so "to" includes that day). */
    static Instant time(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new QuarantineProblem(Kind.INVALID, name + " must be a date (2026-11-27) or an ISO instant");
        }
    }

    private static Integer integer(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new QuarantineProblem(Kind.INVALID, name + " must be an integer");
        }
    }
}
