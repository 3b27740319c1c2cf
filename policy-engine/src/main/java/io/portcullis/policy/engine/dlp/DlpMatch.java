package io.portcullis.policy.engine.dlp;

/**
 * A redacted sample of one match.
 *
 * @param redacted the match with the secret part masked (see the README for each template's rule)
 * @param offset char offset of the match in the scanned text
 */
public record DlpMatch(String redacted, int offset) {
}
