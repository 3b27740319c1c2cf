package io.portcullis.policy.simulation;

import com.fasterxml.jackson.core.type.TypeReference;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.service.UnavailableException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reads the last recorded verdicts from report-service ({@code GET /api/v1/tracking/recorded}). Any failure (not
 * reachable, timed out, an error status, an unreadable answer) is a {@link UnavailableException}: the simulation
 * answers 503, never a result computed on nothing. The URL is checked at start-up.
 */
@Startup
@ApplicationScoped
public class RecordedVerdictClient {
    private static final Logger LOG = Logger.getLogger(RecordedVerdictClient.class);
    private static final TypeReference<List<RecordedMessage>> LIST = new TypeReference<>() {
    };

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    @Inject
    public RecordedVerdictClient(PolicyConfig config) {
        this(config.simulation().reportUrl(), config.simulation().timeout());
    }

    RecordedVerdictClient(URI base, Duration timeout) {
        if (base.getScheme() == null || !List.of("http", "https").contains(base.getScheme())
                || base.getHost() == null) {
            throw new IllegalArgumentException("portcullis.policy.simulation.report-url must be an http(s) URL, is "
                    + base);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("portcullis.policy.simulation.timeout must be positive");
        }
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The last {@code limit} recorded verdicts of the tenant, newest first.
     *
     * @throws UnavailableException when report-service can't answer
     */
    public List<RecordedMessage> last(String tenant, int limit) {
        URI uri = URI.create(base + "/api/v1/tracking/recorded?limit=" + limit + "&tenant="
                + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("report-service unreachable at %s: %s", base, e.getClass().getSimpleName());
            throw unavailable("report-service is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while reading from report-service");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                LOG.warnf("report-service answered %d for recorded verdicts", response.statusCode());
                throw unavailable("report-service answered HTTP " + response.statusCode());
            }
            List<RecordedMessage> list = EventJson.mapper().readValue(body, LIST);
            if (list == null || list.stream().anyMatch(m -> m == null || m.messageId() == null
                    || m.receivedAt() == null)) {
                throw unavailable("report-service answered recorded verdicts without id or time");
            }
            return list;
        } catch (IOException e) {
            LOG.warnf("report-service answer unreadable: %s", e.getClass().getSimpleName());
            throw unavailable("report-service answered something unreadable");
        }
    }

    private static UnavailableException unavailable(String why) {
        return new UnavailableException("rule simulation needs the recorded verdicts of report-service: " + why);
    }
}
