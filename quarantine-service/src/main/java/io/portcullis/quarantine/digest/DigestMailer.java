package io.portcullis.quarantine.digest;

/** Hands a digest to the SMTP server. */
public interface DigestMailer {

    /** @throws DigestSendException when the server refused it or could not be reached in time */
    void send(DigestMail mail);

    /** The digest was not accepted. */
    class DigestSendException extends RuntimeException {
        public DigestSendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
