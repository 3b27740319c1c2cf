package io.portcullis.quarantine.digest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused link: its reason's status and {@code {"status","reason","message"}} (admin-api renders the page). */
@Provider
public class LinkRefusedMapper implements ExceptionMapper<LinkRefused> {

    /** The answer. */
    public record Refusal(int status, String reason, String message) {
    }

    @Override
    public Response toResponse(LinkRefused refused) {
        int status = refused.reason().status();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Refusal(status, refused.reason().name(), refused.getMessage())).build();
    }
}
