package io.portcullis.edge.delivery;

import java.io.InputStream;

/**
 * The bytes to relay in one attempt: a stream that is read once, and its (expected) size for SIZE=.
 * The relay client reads the stream to the end but does not close it; the owner does.
 *
 * @param stream the RFC 822 bytes, with the outgoing modifications already applied
 * @param size   expected size in bytes (used for the SIZE parameter and the local size check)
 */
public record OutgoingMessage(InputStream stream, long size) {
}
