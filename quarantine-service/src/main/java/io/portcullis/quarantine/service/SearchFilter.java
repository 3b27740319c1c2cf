package io.portcullis.quarantine.service;

import io.portcullis.quarantine.entity.RecipientStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What to list, newest first. Every null (or empty) criterion means "any". Build with {@link #page(int)} and the
 * {@code with*} methods.
 *
 * @param areas     items in one of these areas
 * @param status    without owners: the item's status (RELEASE_REQUESTED: any recipient asked for a release); with
 *                  owners: the status of an owned recipient
 * @param sender    envelope sender, exact, case-insensitive
 * @param owners    canonical addresses (a user's address and its aliases): items with a recipient among them
 * @param from      quarantined at or after
 * @param to        quarantined before
 * @param q         free text over subject and sender ({@code websearch_to_tsquery} syntax, 'simple' config)
 * @param after     keyset paging: items after this position (then {@code offset} must be 0)
 * @param limit     page size
 * @param offset    offset paging (use {@code after} for deep pages)
 * @param withTotal also count every match (costs a second query; not with a cursor)
 */
public record SearchFilter(List<String> areas, RecipientStatus status, String sender, Set<String> owners,
        Instant from, Instant to, String q, Cursor after, int limit, int offset, boolean withTotal) {

    public SearchFilter {
        areas = areas == null ? List.of() : List.copyOf(areas);
        owners = owners == null ? null : Set.copyOf(owners);
    }

    public static SearchFilter page(int limit) {
        return new SearchFilter(List.of(), null, null, null, null, null, null, null, limit, 0, false);
    }

    public SearchFilter withAreas(List<String> v) {
        return new SearchFilter(v, status, sender, owners, from, to, q, after, limit, offset, withTotal);
    }

    public SearchFilter withStatus(RecipientStatus v) {
        return new SearchFilter(areas, v, sender, owners, from, to, q, after, limit, offset, withTotal);
    }

    public SearchFilter withSender(String v) {
        return new SearchFilter(areas, status, v, owners, from, to, q, after, limit, offset, withTotal);
    }

    /** Canonical addresses; see {@link Addresses#canonical}. */
    public SearchFilter withOwners(Set<String> v) {
        return new SearchFilter(areas, status, sender, v, from, to, q, after, limit, offset, withTotal);
    }

    public SearchFilter withRange(Instant fromInclusive, Instant toExclusive) {
        return new SearchFilter(areas, status, sender, owners, fromInclusive, toExclusive, q, after, limit, offset,
                withTotal);
    }

    public SearchFilter withQuery(String v) {
        return new SearchFilter(areas, status, sender, owners, from, to, v, after, limit, offset, withTotal);
    }

    public SearchFilter withCursor(Cursor v) {
        return new SearchFilter(areas, status, sender, owners, from, to, q, v, limit, offset, withTotal);
    }

    public SearchFilter withOffset(int v) {
        return new SearchFilter(areas, status, sender, owners, from, to, q, after, limit, v, withTotal);
    }

    public SearchFilter withTotal(boolean v) {
        return new SearchFilter(areas, status, sender, owners, from, to, q, after, limit, offset, v);
    }
}
