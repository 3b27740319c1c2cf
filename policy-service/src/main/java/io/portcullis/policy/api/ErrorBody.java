package io.portcullis.policy.api;

/** Every error response: what went wrong and, when one is at fault, which field. */
public record ErrorBody(String error, String field) {
}
