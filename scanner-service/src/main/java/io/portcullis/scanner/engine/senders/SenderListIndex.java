package io.portcullis.scanner.engine.senders;

import io.portcullis.contracts.policy.SenderListEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot's sender lists indexed by owner and sender, and the per-recipient decision: the most specific owner
 * with a matching entry decides (the recipient's address, then its domain, then {@code *}); at that owner a BLOCKED
 * match beats a SAFE one. Immutable; built once per snapshot.
 */
public final class SenderListIndex {
    /** The owner that stands for every recipient. */
    public static final String EVERYONE = "*";

    /** Where a sender candidate comes from. */
    public enum Source {
        ENVELOPE("envelope sender"), FROM_HEADER("From header");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One sender the message claims.
     *
     * @param source       where the address was read
     * @param address      the normalised address
     * @param safeEligible whether a SAFE entry may apply to it (false for an ambiguous From header)
     */
    public record Candidate(Source source, MailAddress address, boolean safeEligible) {
    }

    /** The owner scopes, most specific first. */
    public enum Scope {
        ADDRESS, DOMAIN, TENANT
    }

    /**
     * The entry that decided for one recipient.
     *
     * @param kind      SAFE or BLOCKED
     * @param owner     the entry's owner
     * @param scope     the owner's scope
     * @param sender    the entry's sender (address, domain or {@code *.domain})
     * @param candidate the sender candidate it matched
     */
    public record Match(SenderListEntry.Kind kind, String owner, Scope scope, String sender, Candidate candidate) {
    }

    private final Map<String, Map<String, SenderListEntry.Kind>> byOwner;
    private final int size;

    private SenderListIndex(Map<String, Map<String, SenderListEntry.Kind>> byOwner, int size) {
        this.byOwner = byOwner;
        this.size = size;
    }

    /**
     * Indexes the entries. Owners and senders are lower-cased again (policy-service stores them normalised); entries
     * with a missing field are skipped. Should an owner list one sender twice, BLOCKED is kept.
     */
    public static SenderListIndex of(List<SenderListEntry> entries) {
        Map<String, Map<String, SenderListEntry.Kind>> byOwner = new HashMap<>();
        int size = 0;
        for (SenderListEntry e : entries) {
            if (e == null || e.owner() == null || e.sender() == null || e.kind() == null) {
                continue;
            }
            String owner = e.owner().strip().toLowerCase(Locale.ROOT);
            String sender = e.sender().strip().toLowerCase(Locale.ROOT);
            if (owner.isEmpty() || sender.isEmpty()) {
                continue;
            }
            byOwner.computeIfAbsent(owner, o -> new HashMap<>()).merge(sender, e.kind(),
                    (a, b) -> a == SenderListEntry.Kind.BLOCKED ? a : b);
            size++;
        }
        return new SenderListIndex(Map.copyOf(byOwner), size);
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /**
     * What the lists say for one recipient, or null when no entry applies.
     *
     * @param recipient  the recipient, or null when there is no envelope (only {@code *} entries apply)
     * @param candidates the senders the message claims
     */
    public Match decide(MailAddress recipient, List<Candidate> candidates) {
        List<String> owners = new ArrayList<>(3);
        List<Scope> scopes = new ArrayList<>(3);
        if (recipient != null) {
            if (recipient.local() != null) {
                owners.add(recipient.address());
                scopes.add(Scope.ADDRESS);
            }
            owners.add(recipient.domain());
            scopes.add(Scope.DOMAIN);
        }
        owners.add(EVERYONE);
        scopes.add(Scope.TENANT);
        for (int i = 0; i < owners.size(); i++) {
            Map<String, SenderListEntry.Kind> list = byOwner.get(owners.get(i));
            if (list == null) {
                continue;
            }
            Match safe = null;
            for (Candidate c : candidates) {
                for (String key : c.address().senderKeys()) {
                    SenderListEntry.Kind kind = list.get(key);
                    if (kind == SenderListEntry.Kind.BLOCKED) {
                        return new Match(kind, owners.get(i), scopes.get(i), key, c);
                    }
                    if (kind == SenderListEntry.Kind.SAFE && c.safeEligible() && safe == null) {
                        safe = new Match(kind, owners.get(i), scopes.get(i), key, c);
                    }
                }
            }
            if (safe != null) {
                return safe;
            }
        }
        return null;
    }
}
