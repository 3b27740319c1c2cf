package io.portcullis.scanner.rest;

import io.portcullis.scanner.mime.BoundedRead;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * A raw RFC 822 message sent as a request body, read within a size limit: the bytes, or the answer to give instead
 * (413 above the limit, by Content-Length or by counting; 400 for a body that can't be read or is empty).
 *
 * @param bytes the message, or null when {@code error} is set
 * @param error the error answer, or null
 */
record RawMessageBody(byte[] bytes, Response error) {

    static RawMessageBody read(InputStream body, Long contentLength, long maxBytes) {
        if (contentLength != null && contentLength > maxBytes) {
            return failed(tooLarge(maxBytes));
        }
        BoundedRead read = body == null ? new BoundedRead(new byte[0], false, null) : BoundedRead.of(body, maxBytes);
        if (read.error() != null) {
            return failed(badRequest("the request body could not be read"));
        }
        if (read.exceeded()) {
            return failed(tooLarge(maxBytes));
        }
        if (read.bytes().length == 0) {
            return failed(badRequest("empty body: send the raw RFC 822 message"));
        }
        return new RawMessageBody(read.bytes(), null);
    }

    private static RawMessageBody failed(Response error) {
        return new RawMessageBody(null, error);
    }

    private static Response badRequest(String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(new ErrorResponse(message)).build();
    }

    private static Response tooLarge(long maxBytes) {
        return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                .entity(new ErrorResponse("message larger than " + maxBytes + " bytes")).build();
    }
}
