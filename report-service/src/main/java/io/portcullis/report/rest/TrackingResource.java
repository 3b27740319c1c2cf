package io.portcullis.report.rest;

import io.portcullis.report.api.MessageSummary;
import io.portcullis.report.api.MessageTrace;
import io.portcullis.report.api.RecordedMessage;
import io.portcullis.report.config.ReportConfig;
import io.portcullis.report.service.RecordedQuery;
import io.portcullis.report.service.TrackingQuery;
import io.portcullis.report.service.TrackingReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Message tracking. Parameters are taken as text and parsed here so every bad one is a 400 naming it. */
@Path("/api/v1/tracking")
@Produces(MediaType.APPLICATION_JSON)
public class TrackingResource {
    private final TrackingReader reader;
    private final ReportConfig config;

    public TrackingResource(TrackingReader reader, ReportConfig config) {
        this.reader = reader;
        this.config = config;
    }

    /** Messages newest first; from/to are ISO-8601 instants on the time the message was first seen. */
    @GET
    public List<MessageSummary> find(@QueryParam("messageId") String messageId, @QueryParam("sender") String sender,
            @QueryParam("recipient") String recipient, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit) {
        return reader.find(TrackingQuery.parse(messageId, sender, recipient, from, to, limit,
                config.tracking().defaultLimit(), config.tracking().maxLimit()));
    }

    /**
     * The last recorded verdicts with findings, size and attachment metadata, newest first, for rule simulation in
     * policy-service; {@code limit} 1..10000 (default 1000), {@code tenant} optional.
     */
    @GET
    @Path("/recorded")
    public List<RecordedMessage> recorded(@QueryParam("tenant") String tenant, @QueryParam("limit") String limit) {
        return reader.recorded(RecordedQuery.parse(tenant, limit));
    }

    /** One message with its ordered path; 404 if unknown. */
    @GET
    @Path("/{messageId}")
    public MessageTrace trace(@PathParam("messageId") String messageId) {
        return reader.trace(messageId);
    }
}
