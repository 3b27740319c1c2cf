package io.portcullis.admin.proxy;

import io.portcullis.admin.rest.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Relays a downstream answer unchanged: status, body and content type (404 stays 404, a JSON error body stays that
 * body). When the downstream cannot be reached the answer is 503 with an {@link ApiError}.
 */
@ApplicationScoped
public class Downstream {
    private static final Logger LOG = Logger.getLogger(Downstream.class);
    /** Headers worth passing back besides the content type. */
    private static final List<String> PASSED_HEADERS = List.of("Content-Disposition", HttpHeaders.LOCATION);
    /** One path segment: an id, a domain name, a rule id. No separators, no "..". */
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@+:-]{0,254}$");

    public Response relay(String service, Supplier<Response> call) {
        Response downstream;
        try {
            downstream = call.get();
        } catch (WebApplicationException e) { // only if a client still maps error statuses to exceptions
            downstream = e.getResponse();
        } catch (ProcessingException e) {
            LOG.warnf("%s unreachable: %s", service, e.getMessage());
            return unavailable(service);
        }
        try (Response answer = downstream) {
            Response.ResponseBuilder relayed = Response.status(answer.getStatus());
            if (answer.hasEntity()) {
                byte[] body = answer.readEntity(byte[].class);
                if (body.length > 0) {
                    relayed.entity(body);
                    MediaType type = answer.getMediaType();
                    relayed.type(type != null ? type : MediaType.APPLICATION_OCTET_STREAM_TYPE);
                }
            }
            for (String header : PASSED_HEADERS) {
                String value = answer.getHeaderString(header);
                if (value != null) {
                    relayed.header(header, value);
                }
            }
            return relayed.build();
        } catch (ProcessingException e) {
            LOG.warnf("%s answer unreadable: %s", service, e.getMessage());
            return unavailable(service);
        }
    }

    /** @return null when the segment is safe to put into a downstream path, else a 400 answer */
    public static Response rejectUnsafeSegment(String name, String value) {
        if (value != null && SEGMENT.matcher(value).matches() && !value.contains("..")) {
            return null;
        }
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(400, "Bad Request", "malformed " + name)).build();
    }

    private static Response unavailable(String service) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(503, "Service Unavailable", service + " is unavailable")).build();
    }
}
