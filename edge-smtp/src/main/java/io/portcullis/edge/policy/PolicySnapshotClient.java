package io.portcullis.edge.policy;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Fetches the policy snapshot: {@code GET {portcullis.policy.url}/api/v1/policy/snapshot}. Blocking. */
@ApplicationScoped
public class PolicySnapshotClient {

    static final String PATH = "/api/v1/policy/snapshot";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final HttpClient http;

    @Inject
    public PolicySnapshotClient(EdgeConfig config) {
        this(config.policy().url());
    }

    public PolicySnapshotClient(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.uri = URI.create(base + PATH);
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /**
     * @throws IOException when policy-service is unreachable, answers other than 200, or sends an invalid snapshot
     */
    public PolicySnapshot fetch() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("policy-service answered " + response.statusCode() + " for " + uri);
        }
        try {
            PolicySnapshot snapshot = EventJson.read(response.body(), PolicySnapshot.class);
            if (snapshot == null || snapshot.acceptedDomains() == null) {
                throw new IOException("policy snapshot without acceptedDomains");
            }
            return snapshot;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("invalid policy snapshot: " + e.getMessage(), e);
        }
    }

    public URI uri() {
        return uri;
    }
}
