package io.portcullis.scanner.rest;

import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.content.TextExtractor;
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
        RawMessageBody read = RawMessageBody.read(body, contentLength, maxBytes);
        if (read.error() != null) {
            return read.error();
        }
        return Response.ok(extractor.extract("api-" + UUID.randomUUID(), read.bytes())).build();
    }
}
