package io.portcullis.policy.api;

/** One accepted domain (lower case). */
public record DomainView(String domain) {
}
