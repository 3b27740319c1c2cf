package io.portcullis.quarantine.digest;

import java.util.UUID;

/** A composed digest: to one address, plain text and HTML alternatives. */
public record DigestMail(UUID batch, String to, String subject, String text, String html) {
}
