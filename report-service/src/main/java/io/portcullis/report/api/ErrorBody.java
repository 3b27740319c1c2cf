package io.portcullis.report.api;

/** Every error response: what went wrong and, when one is at fault, which parameter. */
public record ErrorBody(String error, String field) {
}
