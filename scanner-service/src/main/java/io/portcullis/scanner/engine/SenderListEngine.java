package io.portcullis.scanner.engine;

import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.senders.FromAddresses;
import io.portcullis.scanner.engine.senders.MailAddress;
import io.portcullis.scanner.engine.senders.SenderListIndex;
import io.portcullis.scanner.engine.senders.SenderListIndex.Candidate;
import io.portcullis.scanner.engine.senders.SenderListIndex.Match;
import io.portcullis.scanner.engine.senders.SenderListIndex.Source;
import io.portcullis.scanner.policy.PolicySource;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Safe and blocked senders from the current policy snapshot ({@link PolicySnapshot#senderLists()}). The sender
 * candidates are the envelope sender (none for the null sender) and the addresses of the top-level From header; each
 * recipient is decided by {@link SenderListIndex#decide}: the most specific owner with a matching entry wins (the
 * recipient's address, its domain, {@code *}), and at that owner BLOCKED beats SAFE. A From header with more than one
 * field or more than one mailbox can block but never make a sender safe.
 *
 * <p>The verdict is per message, so the findings say what held for every recipient:
 * <ul>
 *   <li>{@value #BLOCKED} (category CONTENT, score 0): every recipient blocks the sender. Not SPAM: a block is an
 *       administrative decision, not evidence about the content; a score would inflate the reported spam score and
 *       the spam verdict (and so what the classifier learns), and policy acts on the symbol with its own rule
 *       ({@code blocked-sender-quarantine}).</li>
 *   <li>{@value #SAFE} (INFO, score 0): every recipient lists the sender as safe ({@code safe-sender-deliver}, ranked
 *       after every malware, attachment, active-content and scan-failure rule).</li>
 *   <li>{@value #BLOCKED_PARTIAL} / {@value #SAFE_PARTIAL} (INFO): only some recipients do; the detail gives the count.
 *       Splitting a message per recipient is for policy, not for this engine.</li>
 * </ul>
 * Without an envelope (the synchronous API without parameters) only the tenant-wide {@code *} entries apply to the
 * From header. Details name the candidate that matched, the entry's sender and its owner with local parts masked;
 * nothing is logged at INFO per message.
 */
@ApplicationScoped
@LookupIfProperty(name = "portcullis.scanner.sender-lists.enabled", stringValue = "true", lookupIfMissing = true)
public class SenderListEngine implements ScanEngine {
    public static final String NAME = "sender-lists";
    public static final String FAILURE_SYMBOL = "SENDER_LIST_FAIL";
    public static final String BLOCKED = "BLOCKED_SENDER";
    public static final String SAFE = "SAFE_SENDER";
    public static final String BLOCKED_PARTIAL = "BLOCKED_SENDER_PARTIAL";
    public static final String SAFE_PARTIAL = "SAFE_SENDER_PARTIAL";
    private static final Logger LOG = Logger.getLogger(SenderListEngine.class);
    /** Distinct matches described in one detail. */
    private static final int DETAIL_MATCHES = 3;

    private final PolicySource policy;
    private volatile Indexed indexed;

    /** The index of one snapshot's lists (compared by identity: each fetched snapshot has its own list). */
    private record Indexed(List<SenderListEntry> lists, SenderListIndex index) {
    }

    @Inject
    public SenderListEngine(PolicySource policy) {
        this.policy = policy;
        LOG.info("sender lists: safe and blocked senders from the policy snapshot are applied");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        SenderListIndex index = index(policy.current());
        if (index.isEmpty()) {
            return EngineResult.ok(NAME, List.of());
        }
        List<Candidate> candidates = candidates(input);
        if (candidates.isEmpty()) {
            return EngineResult.ok(NAME, List.of());
        }
        List<MailAddress> recipients = recipients(input.envelope());
        List<Match> blocked = new ArrayList<>();
        List<Match> safe = new ArrayList<>();
        for (MailAddress recipient : recipients) {
            Match m = index.decide(recipient, candidates);
            if (m != null) {
                (m.kind() == SenderListEntry.Kind.BLOCKED ? blocked : safe).add(m);
            }
        }
        int n = recipients.size();
        List<Finding> findings = new ArrayList<>();
        if (blocked.size() == n) {
            findings.add(new Finding(BLOCKED, Category.CONTENT, 0, summary(blocked, n, true)));
        } else if (safe.size() == n) {
            findings.add(new Finding(SAFE, Category.INFO, 0, summary(safe, n, false)));
        } else {
            if (!blocked.isEmpty()) {
                findings.add(new Finding(BLOCKED_PARTIAL, Category.INFO, 0, summary(blocked, n, true)));
            }
            if (!safe.isEmpty()) {
                findings.add(new Finding(SAFE_PARTIAL, Category.INFO, 0, summary(safe, n, false)));
            }
        }
        if (!findings.isEmpty()) {
            LOG.debugf("sender lists on %s: %d of %d recipients block, %d list as safe", input.messageId(),
                    blocked.size(), n, safe.size());
        }
        return EngineResult.ok(NAME, findings);
    }

    private SenderListIndex index(PolicySnapshot snapshot) {
        List<SenderListEntry> lists = snapshot.senderLists();
        Indexed current = indexed;
        if (current == null || current.lists() != lists) {
            current = new Indexed(lists, SenderListIndex.of(lists));
            indexed = current;
        }
        return current.index();
    }

    /** The envelope sender first, then the From header's addresses (an address in both is simply matched twice). */
    static List<Candidate> candidates(ScanInput input) {
        List<Candidate> out = new ArrayList<>();
        Optional<MailAddress> envelope = input.envelope() == null ? Optional.empty()
                : MailAddress.parse(input.envelope().mailFrom());
        envelope.ifPresent(a -> out.add(new Candidate(Source.ENVELOPE, a, true)));
        ScanItem raw = input.items().stream().filter(i -> i.depth() == 0).findFirst().orElse(null);
        if (raw != null) {
            FromAddresses.Result from = FromAddresses.of(raw.content());
            boolean unambiguous = from.fields() == 1 && from.addresses().size() == 1;
            for (MailAddress a : from.addresses()) {
                out.add(new Candidate(Source.FROM_HEADER, a, unambiguous));
            }
        }
        return out;
    }

    /** The envelope recipients that parse; a single null (tenant-wide entries only) without an envelope. */
    private static List<MailAddress> recipients(Envelope envelope) {
        List<MailAddress> out = new ArrayList<>();
        if (envelope != null) {
            for (String r : envelope.recipients()) {
                out.add(MailAddress.parse(r).orElse(null));
            }
        }
        if (out.isEmpty()) {
            out.add(null);
        }
        return out;
    }

    private static String summary(List<Match> matches, int recipients, boolean block) {
        Set<String> described = new LinkedHashSet<>();
        for (Match m : matches) {
            described.add(describe(m));
        }
        List<String> shown = described.stream().limit(DETAIL_MATCHES).toList();
        boolean one = recipients == 1;
        String subject = matches.size() < recipients ? matches.size() + " of " + recipients + " recipients"
                : one ? "the recipient" : "all " + recipients + " recipients";
        String verb = block ? (one ? "blocks the sender" : "block the sender")
                : (one ? "lists the sender as safe" : "list the sender as safe");
        String head = subject + " " + verb + ": " + String.join("; ", shown);
        return described.size() > shown.size() ? head + " and " + (described.size() - shown.size()) + " more" : head;
    }

    private static String describe(Match m) {
        String owner = switch (m.scope()) {
            case ADDRESS -> "the list of " + MailAddress.mask(m.owner());
            case DOMAIN -> "the list of domain " + m.owner();
            case TENANT -> "the tenant list (*)";
        };
        return m.candidate().source().label() + " " + m.candidate().address().masked() + " matched "
                + MailAddress.mask(m.sender()) + " on " + owner;
    }
}
