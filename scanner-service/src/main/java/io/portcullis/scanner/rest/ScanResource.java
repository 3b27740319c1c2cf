package io.portcullis.scanner.rest;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.mime.BoundedRead;
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
 * Synchronous scan: the raw RFC 822 message in, the verdict out, through the same path as the Kafka consumer. Optional
 * query parameters {@code mailFrom} and {@code rcpt} (repeatable) give the SMTP envelope, e.g. for the sender lists.
 */
@Path("/api/v1/scan")
public class ScanResource {
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
            @QueryParam("mailFrom") String mailFrom, @QueryParam("rcpt") List<String> rcpt) {
        if (contentLength != null && contentLength > maxBytes) {
            return tooLarge();
        }
        BoundedRead read = body == null ? new BoundedRead(new byte[0], false, null) : BoundedRead.of(body, maxBytes);
        if (read.error() != null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new ErrorResponse("the request body could not be read")).build();
        }
        if (read.exceeded()) {
            return tooLarge();
        }
        if (read.bytes().length == 0) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new ErrorResponse("empty body: send the raw RFC 822 message")).build();
        }
        String id = "api-" + UUID.randomUUID();
        Envelope envelope = envelope(mailFrom, rcpt);
        if (envelope == INVALID_ENVELOPE) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new ErrorResponse("mailFrom and rcpt must be addresses of at most " + MAX_ADDRESS
                            + " characters without control characters, at most " + MAX_RECIPIENTS + " rcpt"))
                    .build();
        }
        return Response.ok(ScanResponse.of(scanner.scan(id, envelope, read.bytes(), List.of()))).build();
    }

    /** Most {@code rcpt} parameters of one scan. */
    static final int MAX_RECIPIENTS = 1000;
    /** Longest {@code mailFrom} or {@code rcpt}. */
    static final int MAX_ADDRESS = 1024;
    private static final Envelope INVALID_ENVELOPE = new Envelope("", List.of(), null, null, false);

    /**
     * The envelope to scan with: none without {@code mailFrom} and {@code rcpt} (the message alone); otherwise the
     * given sender ({@code ""} when absent: the null sender) and recipients, without client IP or HELO.
     */
    static Envelope envelope(String mailFrom, List<String> rcpt) {
        List<String> recipients = rcpt == null ? List.of() : rcpt;
        if (mailFrom == null && recipients.isEmpty()) {
            return null;
        }
        if (recipients.size() > MAX_RECIPIENTS || !plausible(mailFrom)
                || !recipients.stream().allMatch(r -> r != null && !r.isBlank() && plausible(r))) {
            return INVALID_ENVELOPE;
        }
        return new Envelope(mailFrom == null ? "" : mailFrom.strip(),
                recipients.stream().map(String::strip).toList(), null, null, false);
    }

    private static boolean plausible(String address) {
        return address == null || (address.length() <= MAX_ADDRESS
                && address.chars().noneMatch(c -> c < 0x20 || c == 0x7f));
    }

    private Response tooLarge() {
        return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                .entity(new ErrorResponse("message larger than " + maxBytes + " bytes")).build();
    }
}
