package io.portcullis.policy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.portcullis.policy.api.ErrorBody;
import io.portcullis.policy.service.DuplicateEntryException;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.PolicyException;
import io.portcullis.policy.service.TooLargeException;
import io.portcullis.policy.service.UnavailableException;
import io.portcullis.policy.service.UnknownEntryException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one table from exceptions to HTTP statuses. Every error body is {@code {"error": ..., "field": ...}}.
 * Unexpected exceptions become a 500 without internals in the body.
 */
public class ErrorMapper {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    /** Policy exceptions and their statuses. */
    static final Map<Class<? extends PolicyException>, Response.Status> STATUS = Map.of(
            InvalidPolicyException.class, Response.Status.BAD_REQUEST,
            UnknownEntryException.class, Response.Status.NOT_FOUND,
            DuplicateEntryException.class, Response.Status.CONFLICT,
            TooLargeException.class, Response.Status.REQUEST_ENTITY_TOO_LARGE,
            UnavailableException.class, Response.Status.SERVICE_UNAVAILABLE);

    @ServerExceptionMapper
    public Response policy(PolicyException e) {
        Response.Status status = STATUS.getOrDefault(e.getClass(), Response.Status.INTERNAL_SERVER_ERROR);
        return body(status, e.getMessage(), e.field());
    }

    /** Malformed JSON, wrong types, unknown fields: 400, naming the field when Jackson knows it. */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return jsonError(e);
    }

    /** Wrong types and unknown fields; replaces Quarkus' built-in mapper, which echoes the input. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e) {
        return jsonError(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return jsonError(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return body(status, known == null ? "error" : known.getReasonPhrase(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return body(Response.Status.INTERNAL_SERVER_ERROR, "internal error", null);
    }

    private static Response jsonError(JsonProcessingException e) {
        String field = null;
        String error = "malformed JSON";
        if (e instanceof JsonMappingException mapping) {
            field = path(mapping);
            error = e instanceof UnrecognizedPropertyException ? "unknown field" : "wrong type or value";
        }
        return body(Response.Status.BAD_REQUEST, error, field);
    }

    /** The JSON path as {@code a.b[2].c}; never echoes the offending value. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static Response body(Response.Status status, String error, String field) {
        return body(status.getStatusCode(), error, field);
    }

    private static Response body(int code, String error, String field) {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(error, field))
                .build();
    }
}
