package io.portcullis.admin.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.admin.client.DigestClient;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * {@code /digest-links/{token}}: the one-click links of quarantine digests, without a login (the signed token is the
 * credential; quarantine-service verifies it). GET only shows a confirmation page with a form: mail scanners and link
 * previewers fetch links with GET, so a GET must never act. The form's POST performs the action once. Pages have no
 * script, and a policy that allows nothing but inline style and posting back to this site.
 */
@Path("/digest-links/{token}")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class DigestLinkResource {
    private static final Logger LOG = Logger.getLogger(DigestLinkResource.class);
    static final String PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{8,1000}\\.[A-Za-z0-9_-]{43}$");

    private final DigestClient digests;
    private final ObjectMapper json;

    public DigestLinkResource(@RestClient DigestClient digests, ObjectMapper json) {
        this.digests = digests;
        this.json = json;
    }

    @GET
    public Response confirm(@PathParam("token") String token) {
        if (!TOKEN.matcher(token).matches()) {
            return page(403, "Link not valid", "This link is not valid. It may have been altered or copied incompletely.",
                    null);
        }
        return call(() -> digests.describe(token), link -> page(200, "Confirm: " + link.path("label").asText(),
                "Confirm that you want to do this with the quarantined message below.", details(link)
                        + "<form method=\"post\"><button type=\"submit\">" + Html.escape(link.path("label").asText())
                        + "</button></form>"));
    }

    @POST
    public Response act(@PathParam("token") String token) {
        if (!TOKEN.matcher(token).matches()) {
            return page(403, "Link not valid", "This link is not valid. It may have been altered or copied incompletely.",
                    null);
        }
        return call(() -> digests.use(token), done -> page(200, "Done", done.path("message").asText(), null));
    }

    private Response call(Supplier<Response> call, java.util.function.Function<JsonNode, Response> ok) {
        Response answer;
        try {
            answer = call.get();
        } catch (WebApplicationException e) {
            answer = e.getResponse();
        } catch (ProcessingException e) {
            LOG.warnf("quarantine-service unreachable: %s", e.getMessage());
            return page(503, "Try again later", "The quarantine cannot be reached right now. The link still works.",
                    null);
        }
        try (Response r = answer) {
            JsonNode body = json.readTree(r.hasEntity() ? r.readEntity(String.class) : "{}");
            if (r.getStatus() == 200) {
                return ok.apply(body);
            }
            String title = switch (body.path("reason").asText("")) {
                case "EXPIRED" -> "Link expired";
                case "USED" -> "Link already used";
                case "INVALID" -> "Link not valid";
                case "NOT_APPLICABLE" -> "Nothing to do";
                default -> "Try again later";
            };
            int status = r.getStatus() >= 400 && r.getStatus() < 600 ? r.getStatus() : 502;
            return page(status, title, body.path("message").asText("The link could not be used."), null);
        } catch (IOException | ProcessingException e) {
            return page(502, "Try again later", "The quarantine answered something unreadable.", null);
        }
    }

    private static String details(JsonNode link) {
        return "<table>"
                + row("From", link.path("sender").asText(""))
                + row("Subject", link.path("subject").asText(""))
                + row("Quarantine area", link.path("area").asText(""))
                + row("Received", link.path("receivedAt").asText(""))
                + row("For", link.path("recipient").asText(""))
                + "</table>";
    }

    private static String row(String name, String value) {
        return "<tr><th>" + Html.escape(name) + "</th><td>" + Html.escape(value) + "</td></tr>";
    }

    static Response page(int status, String title, String message, String extra) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"robots\" content=\"noindex\"><title>" + Html.escape(title) + " · Portcullis</title>"
                + "<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}th{text-align:left;padding-right:1em}"
                + "button{font-size:1.1em;margin-top:1em}</style></head><body><h1>" + Html.escape(title) + "</h1><p>"
                + Html.escape(message) + "</p>" + (extra == null ? "" : extra) + "</body></html>";
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html)
                .header("Content-Security-Policy", PAGE_CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .build();
    }
}
