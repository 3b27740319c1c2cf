package io.portcullis.scanner.rest;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.service.ScanService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/**
 * Synchronous scan: the raw RFC 822 message in, the verdict out, through the same path as the Kafka consumer. The
 * optional query parameters {@code clientIp}, {@code helo}, {@code mailFrom}, {@code rcpt} (repeatable) make the SMTP
 * envelope (for SPF, DMARC, the client IP blocklists); without them the scan has no envelope. {@code tenant} picks
 * the tenant's learned spam counts (default {@code default}).
 */
@Path("/api/v1/scan")
public class ScanResource {
    /** A tenant id as the rest of Portcullis writes them. */
    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[a-z0-9._-]{1,64}");
    private final ScanService scanner;
    private final long maxBytes;

    public ScanResource(ScanService scanner, ScannerConfig config) {
        this.scanner = scanner;
        this.maxBytes = config.scanner().maxMessageBytes();
    }

    @POST
    @Blocking
    @Consumes({"message/rfc822", MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Response scan(InputStream body, @HeaderParam("Content-Length") Long contentLength,
            @QueryParam("clientIp") String clientIp, @QueryParam("helo") String helo,
            @QueryParam("mailFrom") String mailFrom, @QueryParam("rcpt") List<String> rcpt,
            @QueryParam("tenant") String tenant) {
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new ErrorResponse("tenant: 1 to 64 of a-z 0-9 . _ - expected")).build();
        }
        Envelope envelope;
        try {
            envelope = EnvelopeParams.of(clientIp, helo, mailFrom, rcpt);
        } catch (EnvelopeParams.BadParameter e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(new ErrorResponse(e.getMessage())).build();
        }
        RawMessageBody read = RawMessageBody.read(body, contentLength, maxBytes);
        if (read.error() != null) {
            return read.error();
        }
        String id = "api-" + UUID.randomUUID();
        return Response.ok(ScanResponse.of(scanner.scan(id, tenant, envelope, read.bytes(), List.of()))).build();
    }
}
