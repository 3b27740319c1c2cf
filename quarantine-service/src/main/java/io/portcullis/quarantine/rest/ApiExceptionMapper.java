package io.portcullis.quarantine.rest;

import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** The one table from problem kinds to HTTP statuses; the body is always an {@link ApiError}. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<QuarantineProblem> {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);
    static final Map<Kind, Status> STATUS = new EnumMap<>(Map.of(
            Kind.INVALID, Status.BAD_REQUEST,
            Kind.FORBIDDEN, Status.FORBIDDEN,
            Kind.NOT_FOUND, Status.NOT_FOUND,
            Kind.CONFLICT, Status.CONFLICT,
            Kind.GONE, Status.GONE,
            Kind.UNAVAILABLE, Status.SERVICE_UNAVAILABLE));

    @Override
    public Response toResponse(QuarantineProblem problem) {
        Status status = STATUS.get(problem.kind());
        if (status == Status.SERVICE_UNAVAILABLE) {
            LOG.warnf(problem, "request failed: %s", problem.getMessage());
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getStatusCode(), status.getReasonPhrase(), problem.getMessage(),
                        problem.field()))
                .build();
    }
}
