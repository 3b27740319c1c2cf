package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.storage.ObjectNotFoundException;
import io.portcullis.quarantine.storage.ObjectStore;
import io.portcullis.quarantine.storage.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/** Read side of the API: validated list parameters, single rows, raw bytes. */
@ApplicationScoped
public class QuarantineQueries {
    private static final int MAX_ADDRESS = 320;

    /** One page of the list. */
    public record Page(List<QuarantinedMessage> items, long total, int limit, int offset) {
    }

    private final QuarantineRepository repository;
    private final ObjectStore store;
    private final QuarantineConfig config;

    public QuarantineQueries(QuarantineRepository repository, ObjectStore store, QuarantineConfig config) {
        this.repository = repository;
        this.store = store;
        this.config = config;
    }

    @WithSpan("quarantine.list")
    public Page list(String status, String sender, String recipient, Integer limit, Integer offset) {
        int pageSize = limit == null ? config.api().defaultLimit() : limit;
        int from = offset == null ? 0 : offset;
        if (pageSize < 1 || pageSize > config.api().maxLimit()) {
            throw new QuarantineProblem(Kind.INVALID, "limit must be between 1 and " + config.api().maxLimit());
        }
        if (from < 0) {
            throw new QuarantineProblem(Kind.INVALID, "offset must not be negative");
        }
        QuarantineRepository.Filter filter = new QuarantineRepository.Filter(status(status),
                address("sender", sender), address("recipient", recipient));
        return new Page(repository.search(filter, pageSize, from), repository.countMatching(filter), pageSize, from);
    }

    @WithSpan("quarantine.get")
    public QuarantinedMessage get(@SpanAttribute("portcullis.message_id") String messageId) {
        if (!MessageIds.isValidItemId(messageId)) {
            throw new QuarantineProblem(Kind.INVALID, "malformed message id");
        }
        return repository.find(messageId)
                .orElseThrow(() -> new QuarantineProblem(Kind.NOT_FOUND, "no quarantined message " + messageId));
    }

    /** The caller closes the stream. */
    @WithSpan("quarantine.raw")
    public InputStream raw(@SpanAttribute("portcullis.message_id") String messageId) {
        QuarantinedMessage row = get(messageId);
        if (row.status == QuarantineStatus.DELETED) {
            throw new QuarantineProblem(Kind.GONE, "message " + messageId + " was deleted");
        }
        try {
            return store.open(row.bucket, row.objectKey);
        } catch (ObjectNotFoundException e) {
            throw new QuarantineProblem(Kind.NOT_FOUND, "the stored body of message " + messageId + " is missing", e);
        } catch (ObjectStoreException e) {
            throw new QuarantineProblem(Kind.UNAVAILABLE, "object storage is unavailable", e);
        }
    }

    private static QuarantineStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return QuarantineStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QuarantineProblem(Kind.INVALID, "status must be one of QUARANTINED, RELEASED, DELETED");
        }
    }

    private static String address(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_ADDRESS || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new QuarantineProblem(Kind.INVALID, name + " is not a plausible address");
        }
        return value.trim();
    }
}
