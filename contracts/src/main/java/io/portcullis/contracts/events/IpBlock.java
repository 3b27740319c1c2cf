package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * A client IP the IP Profiler blocks, on the compacted topic {@link Topics#IP_BLOCKS} keyed by the IP; a tombstone
 * (null value) lifts the block. Every edge node keeps the topic in memory and refuses the IP while
 * {@code now < until}: {@link Response#TEMPFAIL} answers 421 at connect, {@link Response#REJECT} answers 550 to every
 * RCPT. An expired entry is treated as absent even before its tombstone arrives.
 *
 * @param ip       the client IP (canonical textual form)
 * @param kind     what it sent too much of
 * @param count    how many events of that kind in the window that triggered the block
 * @param windowSeconds the sliding window length
 * @param since    when the block started
 * @param until    when it ends
 * @param response how the edge refuses it
 * @param reason   human-readable reason the edge puts in its reply (no addresses)
 */
public record IpBlock(String ip, Kind kind, long count, long windowSeconds, Instant since, Instant until,
        Response response, String reason) {

    public enum Kind {
        SPAM, VIRUS, HARVEST, BOUNCE
    }

    public enum Response {
        /** 421 4.7.0 at connect, then close */
        TEMPFAIL,
        /** 550 5.7.1 at RCPT */
        REJECT
    }
}
