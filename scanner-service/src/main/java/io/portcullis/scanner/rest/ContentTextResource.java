package io.portcullis.scanner.rest;

import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.content.TextExtractor;
import io.portcullis.scanner.mime.BoundedRead;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.UUID;

/**
 * Text extraction for testing and operations: the raw RFC 822 message in, its {@code MessageText} (subject, body
 * and attachment text with a status per part) out as JSON, with the same limits as scanning. Size limit as
 * {@code POST /api/v1/scan}.
 */
@Path("/api/v1/content/text")
public class ContentTextResource {
    private final TextExtractor extractor;
    private final long maxBytes;

    public ContentTextResource(TextExtractor extractor, ScannerConfig config) {
        this.extractor = extractor;
        this.maxBytes = config.scanner().maxMessageBytes();
    }

    @POST
    @Blocking
    @Consumes({"message/rfc822", MediaType.APPLICATION_OCTET_STREAM, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Response extract(InputStream body, @HeaderParam("Content-Length") Long contentLength) {
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
        return Response.ok(extractor.extract("api-" + UUID.randomUUID(), read.bytes())).build();
    }

    private Response tooLarge() {
        return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                .entity(new ErrorResponse("message larger than " + maxBytes + " bytes")).build();
    }
}
