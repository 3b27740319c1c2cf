package io.portcullis.quarantine.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** JSON body of every error answer; {@code field} names the request field at fault (400), when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String error, String message, String field) {
    public ApiError(int status, String error, String message) {
        this(status, error, message, null);
    }
}
