package io.portcullis.edge.validation;

import io.portcullis.edge.smtp.RecipientVerdict;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Asks policy-service's directory: {@code GET {portcullis.policy.url}/api/v1/directory/lookup?address=}. Non-blocking
 * (the JDK client's asynchronous send). 200 is an existing recipient (an alias too), 404 an unknown one, 400 an
 * address the directory cannot hold (unknown as well); anything else (503: directory down or not configured, 5xx,
 * connection refused, timeout) completes the future exceptionally: an outage, never "unknown".
 */
public class DirectoryLookupClient {
    static final String PATH = "/api/v1/directory/lookup";

    private final String base;
    private final HttpClient http;
    private final Duration timeout;

    public DirectoryLookupClient(String policyUrl, Duration timeout, Executor executor) {
        this.base = (policyUrl.endsWith("/") ? policyUrl.substring(0, policyUrl.length() - 1) : policyUrl) + PATH;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
    }

    public CompletableFuture<RecipientVerdict> lookup(String address) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + "?address="
                    + URLEncoder.encode(address, StandardCharsets.UTF_8))).timeout(timeout)
                    .header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
            return switch (response.statusCode()) {
                case 200 -> RecipientVerdict.ACCEPT;
                case 404, 400 -> RecipientVerdict.UNKNOWN_USER;
                default -> throw new DirectoryUnavailableException("policy-service answered " + response.statusCode());
            };
        });
    }

    /** policy-service or its directory could not answer. */
    public static final class DirectoryUnavailableException extends RuntimeException {
        public DirectoryUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /** For logs. */
    @Override
    public String toString() {
        return base;
    }
}
