package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.IpBlock;
import java.time.Duration;

/**
 * When one kind of event blocks an IP: {@code threshold} events within a sliding {@code window} block it for
 * {@code block}, refused with {@code response}.
 */
public record KindLimit(int threshold, Duration window, Duration block, IpBlock.Response response) {

    /** @throws IllegalArgumentException naming the first bad value */
    public KindLimit {
        if (threshold < 1 || threshold > 100_000) {
            throw new IllegalArgumentException("threshold must be between 1 and 100000, not " + threshold);
        }
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("window must be at least 1s");
        }
        if (block == null || block.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("block must be at least 1s");
        }
        if (response == null) {
            throw new IllegalArgumentException("response must be TEMPFAIL or REJECT");
        }
    }
}
