package io.portcullis.policy.api;

/** Body of POST /domains. */
public record DomainRequest(String domain) {
}
