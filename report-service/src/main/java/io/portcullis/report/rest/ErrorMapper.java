package io.portcullis.report.rest;

import io.portcullis.report.api.ErrorBody;
import io.portcullis.report.service.InvalidQueryException;
import io.portcullis.report.service.UnknownMessageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Exceptions to HTTP statuses; every error body is {@code {"error": ..., "field": ...}}. */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response invalid(InvalidQueryException e) {
        return body(400, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response unknown(UnknownMessageException e) {
        return body(404, e.getMessage(), "messageId");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return body(status, known == null ? "error" : known.getReasonPhrase(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return body(500, "internal error", null);
    }

    private static Response body(int status, String error, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(error, field))
                .build();
    }
}
