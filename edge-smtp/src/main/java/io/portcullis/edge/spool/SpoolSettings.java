package io.portcullis.edge.spool;

import io.portcullis.edge.config.EdgeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * What the spool needs from configuration.
 *
 * @param bucket         bucket for bodies above {@code inlineMaxBytes}
 * @param inlineMaxBytes bodies up to this size travel inline in the Kafka record
 * @param tenant         tenant stamped on every record
 * @param node           this edge node (MailReceived.edgeNode)
 * @param ackTimeout     budget for object storage plus the Kafka acknowledgement
 */
public record SpoolSettings(String bucket, int inlineMaxBytes, String tenant, String node, Duration ackTimeout) {

    /**
     * Largest inline body: base64 in JSON grows by a third and the record must stay under the producer's default
     * max.request.size of 1 MiB.
     */
    public static final int MAX_INLINE_BYTES = 640 * 1024;

    public SpoolSettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(node, "node");
        if (inlineMaxBytes < 0 || inlineMaxBytes > MAX_INLINE_BYTES) {
            throw new IllegalArgumentException(
                    "portcullis.spool.inline-max-bytes must be within 0.." + MAX_INLINE_BYTES + ": " + inlineMaxBytes);
        }
        if (ackTimeout.isNegative() || ackTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("portcullis.spool.ack-timeout must be at least 1s: " + ackTimeout);
        }
    }

    public static SpoolSettings from(EdgeConfig config) {
        EdgeConfig.Spool spool = config.spool();
        return new SpoolSettings(spool.bucket(), spool.inlineMaxBytes(), spool.tenant(), spool.node(),
                spool.ackTimeout());
    }
}
