package io.portcullis.policy.api;

import io.portcullis.contracts.events.IpProfilerCommand;
import java.time.Instant;

/** One allow-list entry: the canonical IP or CIDR block, why, who added it and when. */
public record AllowEntryView(String ip, String note, String actor, Instant at) {
    public static AllowEntryView of(IpProfilerCommand command) {
        return new AllowEntryView(command.ip(), command.note(), command.actor(), command.at());
    }
}
