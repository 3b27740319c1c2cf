package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.repository.QuarantineSearchRepository;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.storage.ObjectNotFoundException;
import io.portcullis.quarantine.storage.ObjectStore;
import io.portcullis.quarantine.storage.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Read side: list and search (validated {@link SearchFilter}), single items with their recipients, raw bytes. Used by
 * the admin REST API and by the end-user API (which passes the user's addresses as owners).
 */
@ApplicationScoped
public class QuarantineQueries {
    /** Longest free-text query accepted (characters). */
    public static final int MAX_QUERY = 256;

    private final QuarantineRepository repository;
    private final QuarantineSearchRepository search;
    private final ObjectStore store;
    private final QuarantineConfig config;

    public QuarantineQueries(QuarantineRepository repository, QuarantineSearchRepository search, ObjectStore store,
            QuarantineConfig config) {
        this.repository = repository;
        this.search = search;
        this.store = store;
        this.config = config;
    }

    /** A filter for the first page with the configured default page size. */
    public SearchFilter defaultFilter() {
        return SearchFilter.page(config.api().defaultLimit());
    }

    /**
     * Newest first.
     *
     * @throws QuarantineProblem INVALID naming the field for a bad criterion, UNAVAILABLE when the database fails
     */
    @WithSpan("quarantine.search")
    public SearchPage search(SearchFilter filter) {
        SearchFilter valid = validate(filter);
        try {
            List<QuarantinedMessage> items = search.page(valid);
            Map<String, List<RecipientState>> recipients = search.recipients(
                    items.stream().map(m -> m.itemId).toList());
            Long total = valid.withTotal() && valid.after() == null ? search.count(valid) : null;
            Cursor next = items.size() < valid.limit() ? null
                    : Cursor.after(items.get(items.size() - 1).quarantinedAt, items.get(items.size() - 1).itemId);
            return new SearchPage(items, recipients, total, next, valid.limit(), valid.offset());
        } catch (SQLException e) {
            throw new QuarantineProblem(Kind.UNAVAILABLE, "the quarantine index is unavailable", e);
        }
    }

    @WithSpan("quarantine.get")
    public QuarantinedMessage get(@SpanAttribute("portcullis.message_id") String itemId) {
        if (!MessageIds.isValidItemId(itemId)) {
            throw new QuarantineProblem(Kind.INVALID, "malformed message id");
        }
        return repository.find(itemId)
                .filter(row -> row.purgeMarkedAt == null)
                .orElseThrow(() -> new QuarantineProblem(Kind.NOT_FOUND, "no quarantined message " + itemId));
    }

    /** The recipients of an item with their states. */
    public List<RecipientState> recipients(String itemId) {
        return repository.recipients(itemId);
    }

    /** The caller closes the stream. */
    @WithSpan("quarantine.raw")
    public InputStream raw(@SpanAttribute("portcullis.message_id") String itemId) {
        QuarantinedMessage row = get(itemId);
        if (row.status == QuarantineStatus.DELETED) {
            throw new QuarantineProblem(Kind.GONE, "message " + itemId + " was deleted");
        }
        try {
            return store.open(row.bucket, row.objectKey);
        } catch (ObjectNotFoundException e) {
            throw new QuarantineProblem(Kind.NOT_FOUND, "the stored body of message " + itemId + " is missing", e);
        } catch (ObjectStoreException e) {
            throw new QuarantineProblem(Kind.UNAVAILABLE, "object storage is unavailable", e);
        }
    }

    SearchFilter validate(SearchFilter f) {
        if (f.limit() < 1 || f.limit() > config.api().maxLimit()) {
            throw QuarantineProblem.invalid("limit", "limit must be between 1 and " + config.api().maxLimit());
        }
        if (f.offset() < 0) {
            throw QuarantineProblem.invalid("offset", "offset must not be negative");
        }
        if (f.after() != null && f.offset() != 0) {
            throw QuarantineProblem.invalid("offset", "offset and cursor cannot be combined");
        }
        for (String area : f.areas()) {
            if (area == null || !AreaService.NAME.matcher(area).matches()) {
                throw QuarantineProblem.invalid("area", "area must be 1-64 of a-z, 0-9 and '-'");
            }
        }
        if (f.from() != null && f.to() != null && !f.from().isBefore(f.to())) {
            throw QuarantineProblem.invalid("from", "from must be before to");
        }
        String sender = f.sender() == null || f.sender().isBlank() ? null : address("sender", f.sender());
        java.util.Set<String> owners = f.owners() == null ? null : Addresses.canonicalSet("recipient", f.owners());
        return new SearchFilter(f.areas(), f.status(), sender, owners, f.from(), f.to(), query(f.q()), f.after(),
                f.limit(), f.offset(), f.withTotal());
    }

    /**
     * The free-text query as PostgreSQL gets it: trimmed, at most {@value #MAX_QUERY} characters, no control
     * characters (NUL cannot even be stored in a PostgreSQL text). Everything else, quotes and operators included,
     * is safe: {@code websearch_to_tsquery} never fails on syntax.
     */
    static String query(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        String trimmed = q.strip();
        if (trimmed.length() > MAX_QUERY) {
            throw QuarantineProblem.invalid("q", "q must be at most " + MAX_QUERY + " characters");
        }
        if (trimmed.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw QuarantineProblem.invalid("q", "q must not contain control characters");
        }
        return trimmed;
    }

    /** Parses a status name of the list API. */
    public static RecipientStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return RecipientStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw QuarantineProblem.invalid("status",
                    "status must be one of QUARANTINED, RELEASE_REQUESTED, RELEASED, DELETED");
        }
    }

    private static String address(String name, String value) {
        if (value.length() > Addresses.MAX_LENGTH || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw QuarantineProblem.invalid(name, name + " is not a plausible address");
        }
        return value.trim();
    }
}
