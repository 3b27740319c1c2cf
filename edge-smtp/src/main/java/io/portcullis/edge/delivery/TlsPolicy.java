package io.portcullis.edge.delivery;

import java.util.Locale;

/** How a relay attempt uses TLS towards the next hop (per recipient domain, {@code portcullis.delivery.tls-policy}). */
public enum TlsPolicy {
    /** STARTTLS when offered, certificate not checked (RFC 7435); cleartext when not offered. The default. */
    OPPORTUNISTIC,
    /** STARTTLS must be offered and succeed, else a temporary failure; the certificate is not checked. */
    REQUIRED,
    /** Like {@link #REQUIRED}, and the certificate chain and the next hop's host name must check out. */
    VERIFY;

    /** Whether a session without TLS must not carry the message. */
    public boolean mandatory() {
        return this != OPPORTUNISTIC;
    }

    /** @throws IllegalArgumentException for anything but opportunistic, required or verify */
    static TlsPolicy parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown TLS policy '" + value
                    + "' (expected opportunistic, required or verify)");
        }
    }
}
