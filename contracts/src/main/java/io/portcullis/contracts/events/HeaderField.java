package io.portcullis.contracts.events;

/** One header field to add to a message. */
public record HeaderField(String name, String value) {
}
