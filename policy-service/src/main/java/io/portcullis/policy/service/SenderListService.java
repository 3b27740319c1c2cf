package io.portcullis.policy.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.policy.SenderListEntry;
import io.portcullis.policy.api.SenderListImportRequest;
import io.portcullis.policy.api.SenderListImportResult;
import io.portcullis.policy.api.SenderListRequest;
import io.portcullis.policy.api.SenderListView;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.entity.PolicyVersion;
import io.portcullis.policy.entity.SenderListEntity;
import io.quarkus.panache.common.Parameters;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Safe and blocked senders of the tenant, its domains and its users. Every change runs in one transaction that locks
 * the policy version row first, changes the entries, bumps the version and writes PolicyChanged (what
 * {@value #WHAT}) into the outbox, like every other policy change. The entries reach the scanners in the snapshot.
 * Logs name entry ids, kinds and owner scopes, never addresses.
 */
@ApplicationScoped
public class SenderListService {
    /** The {@code what} of the PolicyChanged events of sender-list changes. */
    public static final String WHAT = "sender-lists";
    private static final Logger LOG = Logger.getLogger(SenderListService.class);

    private final SenderListValidator validator;
    private final PolicyChangeLog changeLog;
    private final String tenant;
    private final int maxEntries;
    private final Clock clock;

    public SenderListService(SenderListValidator validator, PolicyChangeLog changeLog, PolicyConfig config) {
        this.validator = validator;
        this.changeLog = changeLog;
        this.tenant = config.tenant();
        this.maxEntries = config.senderLists().maxEntries();
        this.clock = Clock.systemUTC();
        if (maxEntries <= 0) {
            throw new IllegalStateException("portcullis.policy.sender-lists.max-entries must be positive, was "
                    + maxEntries);
        }
    }

    /** Creates the bean at start-up, so a bad limit fails start-up rather than the first request. */
    void onStart(@Observes StartupEvent event) {
        LOG.debugf("sender lists: at most %d entries", maxEntries);
    }

    /** The entries, optionally of one owner and/or one kind (absent or blank: all), by owner, sender and id. */
    @WithSpan
    @Transactional
    public List<SenderListView> list(String owner, String kind) {
        StringBuilder query = new StringBuilder("tenant = :tenant");
        Parameters params = Parameters.with("tenant", tenant);
        if (owner != null && !owner.isBlank()) {
            query.append(" and owner = :owner");
            params.and("owner", validator.owner(owner, "owner"));
        }
        if (kind != null && !kind.isBlank()) {
            query.append(" and kind = :kind");
            params.and("kind", validator.kind(kind, "kind").name());
        }
        return SenderListEntity.<SenderListEntity>list(query.toString(), SenderListEntity.ORDER, params).stream()
                .map(SenderListService::view).toList();
    }

    @WithSpan
    @Transactional
    public SenderListView get(@SpanAttribute("sender_list.id") String rawId) {
        SenderListEntity entity = SenderListEntity.findById(parseId(rawId));
        if (entity == null || !tenant.equals(entity.tenant)) {
            throw new UnknownEntryException("id", "no such sender-list entry");
        }
        return view(entity);
    }

    @WithSpan
    @Transactional
    public SenderListView add(SenderListRequest request, String actorHeader) {
        ValidSenderEntry valid = validator.entry(request);
        String actor = validator.actor(actorHeader);
        changeLog.lock();
        SenderListEntity existing = find(valid.owner(), valid.sender());
        if (existing != null) {
            throw new DuplicateEntryException("sender", "this sender is already listed for this owner as "
                    + existing.kind + " (id " + existing.id + "); delete that entry first");
        }
        requireRoom(1);
        SenderListEntity entity = persist(valid, actor, clock.instant());
        long version = changeLog.record(WHAT, actor,
                List.of(new AuditChange("sender-list.add", Long.toString(entity.id), null, view(entity))));
        LOG.infof("sender list entry %d added (%s, owner %s) by %s, policy version %d", entity.id, entity.kind,
                scope(entity.owner), actor, version);
        return view(entity);
    }

    /** Adds every entry or none; entries already listed with the same kind are left as they are. */
    @WithSpan
    @Transactional
    public SenderListImportResult importAll(SenderListImportRequest request, String actorHeader) {
        if (request == null || request.entries() == null || request.entries().isEmpty()) {
            throw new InvalidPolicyException("entries", "entries is required: a list of 1 to "
                    + SenderListValidator.MAX_IMPORT + " {owner, sender, kind, note}");
        }
        if (request.entries().size() > SenderListValidator.MAX_IMPORT) {
            throw new InvalidPolicyException("entries", "at most " + SenderListValidator.MAX_IMPORT
                    + " entries per import");
        }
        String actor = validator.actor(actorHeader);
        Map<String, Integer> seen = new HashMap<>();
        List<ValidSenderEntry> valid = new ArrayList<>();
        for (int i = 0; i < request.entries().size(); i++) {
            String prefix = "entries[" + i + "].";
            ValidSenderEntry entry = validator.entry(request.entries().get(i), prefix);
            Integer first = seen.putIfAbsent(key(entry.owner(), entry.sender()), i);
            if (first != null) {
                throw new InvalidPolicyException(prefix + "sender", "entries[" + first
                        + "] already lists this sender for this owner");
            }
            valid.add(entry);
        }
        changeLog.lock();
        Map<String, SenderListEntity> existing = new HashMap<>();
        for (SenderListEntity e : SenderListEntity.<SenderListEntity>list("tenant", tenant)) {
            existing.put(key(e.owner, e.sender), e);
        }
        List<ValidSenderEntry> fresh = new ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            ValidSenderEntry entry = valid.get(i);
            SenderListEntity old = existing.get(key(entry.owner(), entry.sender()));
            if (old == null) {
                fresh.add(entry);
            } else if (!old.kind.equals(entry.kind().name())) {
                throw new DuplicateEntryException("entries[" + i + "].sender", "this sender is already listed for"
                        + " this owner as " + old.kind + " (id " + old.id + "); delete that entry first");
            }
        }
        if (fresh.isEmpty()) {
            long version = PolicyVersion.<PolicyVersion>findById(PolicyVersion.ID).version;
            return new SenderListImportResult(0, valid.size(), version);
        }
        requireRoom(fresh.size());
        Instant now = clock.instant();
        List<SenderListView> added = fresh.stream().map(entry -> view(persist(entry, actor, now))).toList();
        long version = changeLog.record(WHAT, actor,
                List.of(new AuditChange("sender-list.import", null, null, added)));
        LOG.infof("sender lists: %d entries imported (%d already listed) by %s, policy version %d", fresh.size(),
                valid.size() - fresh.size(), actor, version);
        return new SenderListImportResult(fresh.size(), valid.size() - fresh.size(), version);
    }

    @WithSpan
    @Transactional
    public void delete(@SpanAttribute("sender_list.id") String rawId, String actorHeader) {
        String actor = validator.actor(actorHeader);
        long id = parseId(rawId);
        changeLog.lock();
        SenderListEntity entity = SenderListEntity.findById(id);
        if (entity == null || !tenant.equals(entity.tenant)) {
            throw new UnknownEntryException("id", "no such sender-list entry");
        }
        SenderListView before = view(entity);
        entity.delete();
        long version = changeLog.record(WHAT, actor,
                List.of(new AuditChange("sender-list.delete", Long.toString(id), before, null)));
        LOG.infof("sender list entry %d deleted (%s, owner %s) by %s, policy version %d", id, entity.kind,
                scope(entity.owner), actor, version);
    }

    private static long parseId(String raw) {
        if (raw != null && raw.length() <= 18 && raw.matches("[1-9][0-9]*")) {
            return Long.parseLong(raw);
        }
        throw new UnknownEntryException("id", "no such sender-list entry");
    }

    private void requireRoom(int adding) {
        long count = SenderListEntity.count("tenant", tenant);
        if (count + adding > maxEntries) {
            throw new TooLargeException("sender", "the sender lists hold " + count + " entries; the limit is "
                    + maxEntries + " (portcullis.policy.sender-lists.max-entries)");
        }
    }

    private SenderListEntity find(String owner, String sender) {
        return SenderListEntity.<SenderListEntity>find("tenant = ?1 and owner = ?2 and sender = ?3", tenant, owner,
                sender).firstResult();
    }

    private SenderListEntity persist(ValidSenderEntry valid, String actor, Instant now) {
        SenderListEntity entity = new SenderListEntity();
        entity.tenant = tenant;
        entity.owner = valid.owner();
        entity.sender = valid.sender();
        entity.kind = valid.kind().name();
        entity.note = valid.note();
        entity.createdBy = actor;
        entity.createdAt = now;
        entity.persist();
        return entity;
    }

    private static String key(String owner, String sender) {
        return owner + '\n' + sender;
    }

    /** The owner's scope for logs: {@code tenant}, {@code domain} or {@code address} (addresses are not logged). */
    static String scope(String owner) {
        if (SenderListValidator.EVERYONE.equals(owner)) {
            return "tenant";
        }
        return owner.indexOf('@') >= 0 ? "address" : "domain " + owner;
    }

    private static SenderListView view(SenderListEntity e) {
        return new SenderListView(e.id, e.owner, e.sender, SenderListEntry.Kind.valueOf(e.kind), e.note, e.createdBy,
                e.createdAt);
    }
}
