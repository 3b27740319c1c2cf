package io.portcullis.quarantine.rest;

/** JSON body of every error answer. */
public record ApiError(int status, String error, String message) {
}
