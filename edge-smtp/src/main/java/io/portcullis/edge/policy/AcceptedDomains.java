package io.portcullis.edge.policy;

import io.portcullis.edge.smtp.RecipientRules;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.PolicyValidationException;
import java.time.Instant;
import java.util.Optional;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.smtp.RecipientPolicy;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Relay control of the edge listener: the domains policy-service accepts mail for, cached in memory.
 *
 * <p>Until the first successful fetch the configured bootstrap domains apply. The list is refreshed every
 * {@code portcullis.policy.refresh-interval} and whenever a PolicyChanged event arrives. A failed fetch keeps the
 * last good list and logs a warning; it never empties the list and never throws.
 */
@ApplicationScoped
public class AcceptedDomains implements RecipientPolicy, RecipientRules {

    private static final Logger LOG = Logger.getLogger(AcceptedDomains.class);

    private final PolicySnapshotClient client;
    private volatile Set<String> domains;
    private volatile long version = -1;
    /** The snapshot's rules, for reject rules that decide at RCPT; null until a snapshot compiled. */
    private volatile CompiledPolicy rules;
    /** The admins' notice texts from the snapshot, by id. */
    private volatile java.util.Map<String, io.portcullis.contracts.policy.NotificationTemplate> templates =
            java.util.Map.of();

    @Inject
    public AcceptedDomains(PolicySnapshotClient client, EdgeConfig config) {
        this(client, config.smtp().bootstrapDomains());
    }

    public AcceptedDomains(PolicySnapshotClient client, Collection<String> bootstrapDomains) {
        this.client = client;
        this.domains = normalize(bootstrapDomains);
    }

    @Override
    public boolean acceptsDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** A reject rule that decides for this sender and recipient before the message is read (see ADR 0008). */
    @Override
    public Optional<String> rejection(String mailFrom, String recipient) {
        CompiledPolicy r = rules;
        return r == null ? Optional.empty() : r.rejectAtRcpt(mailFrom, recipient, Instant.now());
    }

    /** The admins' notice template with this id from the current snapshot, or null. */
    public io.portcullis.contracts.policy.NotificationTemplate template(String id) {
        return id == null ? null : templates.get(id);
    }

    /** The current list, lower case. */
    public Set<String> domains() {
        return domains;
    }

    /** Version of the snapshot in use; -1 while the bootstrap list applies. */
    public long version() {
        return version;
    }

    @Scheduled(identity = "accepted-domains-refresh", every = "${portcullis.policy.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    /**
     * Fetches the snapshot now (blocking; call from a worker thread).
     *
     * @return whether the fetch succeeded
     */
    public synchronized boolean refresh() {
        try {
            PolicySnapshot snapshot = client.fetch();
            Set<String> fresh = normalize(snapshot.acceptedDomains());
            if (!fresh.equals(domains) || version != snapshot.version()) {
                LOG.infof("accepted domains: %d from policy version %d", fresh.size(), snapshot.version());
            }
            domains = fresh;
            version = snapshot.version();
            templates = snapshot.notificationTemplates().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                    io.portcullis.contracts.policy.NotificationTemplate::id, t -> t, (a, b) -> b));
            try {
                rules = CompiledPolicy.compile(snapshot);
            } catch (PolicyValidationException e) {
                // policy-service validates with the same library: versions disagree; keep the rules we had
                LOG.errorf("policy version %d does not compile, keeping the earlier rules for RCPT: %s",
                        snapshot.version(), e.getMessage());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("policy fetch interrupted; keeping the last accepted domains");
            return false;
        } catch (Exception e) {
            LOG.warnf("policy fetch from %s failed, keeping %d accepted domains (version %d): %s", client.uri(),
                    domains.size(), version, e.toString());
            return false;
        }
    }

    private static Set<String> normalize(Collection<String> list) {
        return (list == null ? List.<String>of() : list).stream().filter(d -> d != null && !d.isBlank())
                .map(d -> d.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
