package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * Policy-service changed something; readers refetch the snapshot.
 *
 * @param tenant  tenant id
 * @param at      when the change committed
 * @param version the new policy version
 * @param what    a short description ("domains", "rules", "settings")
 */
public record PolicyChanged(String tenant, Instant at, long version, String what) {
}
