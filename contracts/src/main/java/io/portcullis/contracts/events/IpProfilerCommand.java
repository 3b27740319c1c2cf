package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * An administrator's instruction to the IP Profiler, on {@link Topics#IP_PROFILER_CONTROL} keyed by the IP (or CIDR).
 * The topic is the source of truth for the allow list (compacted per key: the last ALLOW/DISALLOW wins).
 *
 * @param commandId unique id
 * @param ip        an IP address or a CIDR block (allow list entries may be blocks)
 * @param type      what to do
 * @param actor     who asked
 * @param at        when
 * @param note      free-text reason, optional
 */
public record IpProfilerCommand(String commandId, String ip, Type type, String actor, Instant at, String note) {

    public enum Type {
        /** never count or block this IP / block */
        ALLOW,
        /** remove it from the allow list */
        DISALLOW,
        /** lift the current block now and forget the counts so far */
        UNBLOCK
    }
}
