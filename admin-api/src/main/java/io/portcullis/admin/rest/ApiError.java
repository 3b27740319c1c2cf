package io.portcullis.admin.rest;

/** JSON body of errors admin-api produces itself (downstream errors are passed through unchanged). */
public record ApiError(int status, String error, String message) {
}
