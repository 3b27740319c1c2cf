package io.portcullis.edge.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of an SMTP listener. Every value must be positive.
 *
 * @param maxMessageBytes       largest message accepted (advertised with SIZE); larger ones are read to the end,
 *                              discarded and refused with 552 5.3.4
 * @param maxRecipients         most recipients per transaction; beyond it RCPT gets 452 4.5.3
 * @param commandTimeout        longest wait for a complete command line after the last reply (421 4.4.2 and close)
 * @param dataTimeout           longest silence inside DATA (421 4.4.2 and close)
 * @param maxConnectionsPerIp   most simultaneous connections from one client IP (421 4.7.0 at connect)
 * @param maxConnections        most simultaneous connections in all (421 4.7.0 at connect)
 * @param maxConsecutiveErrors  error replies in a row after which the server answers 421 4.7.0 and closes
 * @param sinkTimeout           longest wait for the {@link MessageSink} after DATA; then 451 4.3.0
 */
public record SmtpLimits(long maxMessageBytes, int maxRecipients, Duration commandTimeout, Duration dataTimeout,
        int maxConnectionsPerIp, int maxConnections, int maxConsecutiveErrors, Duration sinkTimeout) {

    /** Messages are buffered in one array, so the size is capped below 2 GiB. */
    public static final long MAX_SUPPORTED_MESSAGE_BYTES = Integer.MAX_VALUE - 64 * 1024;

    public SmtpLimits {
        if (maxMessageBytes <= 0 || maxMessageBytes > MAX_SUPPORTED_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be in 1.." + MAX_SUPPORTED_MESSAGE_BYTES);
        }
        positive(maxRecipients, "maxRecipients");
        positive(maxConnectionsPerIp, "maxConnectionsPerIp");
        positive(maxConnections, "maxConnections");
        positive(maxConsecutiveErrors, "maxConsecutiveErrors");
        positive(commandTimeout, "commandTimeout");
        positive(dataTimeout, "dataTimeout");
        positive(sinkTimeout, "sinkTimeout");
    }

    /** 25 MiB, 100 recipients, 5 min command / 10 min data timeouts, 20 per IP, 1000 in all, 10 errors, 60 s sink. */
    public static SmtpLimits defaults() {
        return new SmtpLimits(25L * 1024 * 1024, 100, Duration.ofMinutes(5), Duration.ofMinutes(10), 20, 1000, 10,
                Duration.ofSeconds(60));
    }

    public SmtpLimits withMaxMessageBytes(long value) {
        return new SmtpLimits(value, maxRecipients, commandTimeout, dataTimeout, maxConnectionsPerIp,
                maxConnections, maxConsecutiveErrors, sinkTimeout);
    }

    public SmtpLimits withMaxRecipients(int value) {
        return new SmtpLimits(maxMessageBytes, value, commandTimeout, dataTimeout, maxConnectionsPerIp,
                maxConnections, maxConsecutiveErrors, sinkTimeout);
    }

    public SmtpLimits withTimeouts(Duration command, Duration data) {
        return new SmtpLimits(maxMessageBytes, maxRecipients, command, data, maxConnectionsPerIp, maxConnections,
                maxConsecutiveErrors, sinkTimeout);
    }

    public SmtpLimits withConnections(int perIp, int total) {
        return new SmtpLimits(maxMessageBytes, maxRecipients, commandTimeout, dataTimeout, perIp, total,
                maxConsecutiveErrors, sinkTimeout);
    }

    public SmtpLimits withMaxConsecutiveErrors(int value) {
        return new SmtpLimits(maxMessageBytes, maxRecipients, commandTimeout, dataTimeout, maxConnectionsPerIp,
                maxConnections, value, sinkTimeout);
    }

    public SmtpLimits withSinkTimeout(Duration value) {
        return new SmtpLimits(maxMessageBytes, maxRecipients, commandTimeout, dataTimeout, maxConnectionsPerIp,
                maxConnections, maxConsecutiveErrors, value);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
