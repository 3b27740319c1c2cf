package io.portcullis.scanner.rest;

/** JSON error body: {@code {"error": "..."}}. */
public record ErrorResponse(String error) {
}
