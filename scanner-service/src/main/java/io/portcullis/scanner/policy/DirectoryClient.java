package io.portcullis.scanner.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.policy.engine.Directory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Aliases and groups of an address for rule scopes, from policy-service's directory look-up
 * ({@code GET /api/v1/directory/lookup?address=}), cached for a bounded time. 404 (not in the directory) and
 * "directory not configured" mean no aliases and no groups; any other failure (503 unavailable, timeout, connection
 * refused, a malformed answer) is {@link Directory.DirectoryUnavailableException}, never "no groups".
 */
public final class DirectoryClient implements Directory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final Cache<String, Membership> cache;

    public DirectoryClient(String policyUrl, Duration timeout, Duration ttl) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.base = URI.create(policyUrl.endsWith("/") ? policyUrl : policyUrl + "/");
        this.timeout = timeout;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(50_000).build();
    }

    @Override
    public Membership lookup(String address) {
        String key = address.toLowerCase(Locale.ROOT);
        Membership cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Membership m = fetch(key);
        cache.put(key, m);
        return m;
    }

    private Membership fetch(String address) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/directory/lookup?address="
                + URLEncoder.encode(address, StandardCharsets.UTF_8))).timeout(timeout).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DirectoryUnavailableException("directory look-up failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryUnavailableException("directory look-up interrupted", e);
        }
        int status = response.statusCode();
        if (status == 404) {
            return Membership.NONE;
        }
        if (status == 503 && response.body().contains("not configured")) {
            return Membership.NONE;
        }
        if (status != 200) {
            throw new DirectoryUnavailableException("directory look-up answered " + status, null);
        }
        try {
            return parse(JSON.readTree(response.body()));
        } catch (IOException | RuntimeException e) {
            throw new DirectoryUnavailableException("malformed directory answer: " + e.getMessage(), e);
        }
    }

    static Membership parse(JsonNode node) {
        Set<String> aliases = new HashSet<>();
        if (node.hasNonNull("canonical")) {
            aliases.add(node.get("canonical").asText().toLowerCase(Locale.ROOT));
        }
        for (JsonNode a : node.path("aliases")) {
            aliases.add(a.asText().toLowerCase(Locale.ROOT));
        }
        Set<String> groups = new HashSet<>();
        for (JsonNode g : node.path("groups")) {
            if (g.hasNonNull("name")) {
                groups.add(g.get("name").asText().toLowerCase(Locale.ROOT));
            }
            if (g.hasNonNull("dn")) {
                groups.add(g.get("dn").asText().toLowerCase(Locale.ROOT));
            }
        }
        return new Membership(aliases, groups);
    }
}
