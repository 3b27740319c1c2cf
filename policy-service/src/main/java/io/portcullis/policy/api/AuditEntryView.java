package io.portcullis.policy.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One audited change.
 *
 * @param id        increasing; page with {@code before=<the smallest id seen>}
 * @param version   the policy version the change produced
 * @param at        when
 * @param actor     who ({@code system} for scheduled jobs and unattributed calls)
 * @param operation what, e.g. {@code rule.create}, {@code rule.replace}, {@code rule.delete}, {@code domain.add},
 *                  {@code settings.replace}, {@code sender-list.add}, {@code bundle.import}, {@code rule.expire}
 * @param target    the rule id, domain or entry id (null for settings)
 * @param before    the object before, or null
 * @param after     the object after, or null
 */
public record AuditEntryView(long id, long version, Instant at, String actor, String operation, String target,
        JsonNode before, JsonNode after) {
}
