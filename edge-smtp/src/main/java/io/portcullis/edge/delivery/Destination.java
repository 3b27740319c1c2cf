package io.portcullis.edge.delivery;

import java.util.List;
import java.util.Objects;

/**
 * Where the recipients of one domain go, and how: the unit of delivery's per-destination queues. Recipients of one
 * message with the same destination are relayed together; different destinations never wait for each other.
 *
 * @param key    identifies the destination on this node: the recipient domain for MX routing, the host for a
 *               smart host or static route, with the TLS policy appended when it is not opportunistic
 * @param domain the recipient domain it was chosen for (MX look-up target when {@code hops} is empty)
 * @param hops   the fixed next hop(s) of a smart host or static route; empty: look up the MX of {@code domain}
 * @param tls    the TLS policy of the domain
 */
public record Destination(String key, String domain, List<NextHop> hops, TlsPolicy tls) {

    public Destination {
        Objects.requireNonNull(key, "key");
        hops = List.copyOf(hops);
        tls = tls == null ? TlsPolicy.OPPORTUNISTIC : tls;
    }

    /** Whether the hosts come from an MX look-up rather than configuration. */
    public boolean mx() {
        return hops.isEmpty();
    }

    @Override
    public String toString() {
        return key;
    }
}
