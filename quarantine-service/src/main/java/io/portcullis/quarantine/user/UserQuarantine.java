package io.portcullis.quarantine.user;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import io.portcullis.quarantine.entity.RecipientStatus;
import io.portcullis.quarantine.service.AreaService;
import io.portcullis.quarantine.service.QuarantineCommands;
import io.portcullis.quarantine.service.QuarantineProblem;
import io.portcullis.quarantine.service.QuarantineProblem.Kind;
import io.portcullis.quarantine.service.QuarantineQueries;
import io.portcullis.quarantine.service.Role;
import io.portcullis.quarantine.service.SearchFilter;
import io.portcullis.quarantine.service.SearchPage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An end user's view of the quarantine, on top of the domain API ({@link QuarantineQueries},
 * {@link QuarantineCommands} with {@link Role#USER}). Every read and every action is scoped by the owner's addresses:
 * an item none of whose recipients the owner holds is answered exactly like an item that does not exist (404, same
 * message), so the API is no existence oracle. Actions act on the owner's own recipients of the item only.
 */
@ApplicationScoped
public class UserQuarantine {

    /** One page of the owner's items. */
    public record Page(OwnerView owner, List<UserItem> items, Long total, int limit, int offset) {
    }

    /** Who the answer is for, and how the aliases were found. */
    public record OwnerView(String address, List<String> addresses, String source) {
        static OwnerView of(Owner owner) {
            return new OwnerView(owner.address(), owner.ordered(), owner.source());
        }
    }

    /** An owned item with the owner's recipients of it. */
    public record Owned(QuarantinedMessage row, List<RecipientState> recipients) {
        public List<String> addresses() {
            return recipients.stream().map(RecipientState::address).toList();
        }
    }

    private final QuarantineQueries queries;
    private final QuarantineCommands commands;
    private final AreaService areas;
    private final QuarantineConfig config;
    private final MessagePreviewer previewer;

    public UserQuarantine(QuarantineQueries queries, QuarantineCommands commands, AreaService areas,
            QuarantineConfig config) {
        this.queries = queries;
        this.commands = commands;
        this.areas = areas;
        this.config = config;
        QuarantineConfig.User user = config.user();
        this.previewer = new MessagePreviewer(user.previewMaxBytes(), user.previewMaxParts(), user.previewMaxDepth(),
                user.previewMaxChars());
    }

    @WithSpan("quarantine.user-list")
    public Page list(Owner owner, String q, String area, Instant from, Instant to, RecipientStatus status,
            Integer limit, Integer offset) {
        int size = limit == null ? config.api().defaultLimit() : limit;
        int skip = offset == null ? 0 : offset;
        if (size < 1 || size > config.api().maxLimit()) {
            throw new QuarantineProblem(Kind.INVALID, "limit must be between 1 and " + config.api().maxLimit());
        }
        if (skip < 0) {
            throw new QuarantineProblem(Kind.INVALID, "offset must not be negative");
        }
        SearchFilter filter = SearchFilter.page(size).withOwners(owner.addresses()).withQuery(blankToNull(q))
                .withAreas(area == null || area.isBlank() ? List.of() : List.of(area.strip()))
                .withRange(from, to).withStatus(status).withOffset(skip).withTotal(true);
        SearchPage page = queries.search(filter);
        List<UserItem> items = page.items().stream().map(row -> UserItem.of(row,
                ownedOf(page.recipients().getOrDefault(row.itemId, List.of()), owner),
                areas.effective(row.area).userRight)).toList();
        return new Page(OwnerView.of(owner), items, page.total(), size, skip);
    }

    /** @throws QuarantineProblem NOT_FOUND when it does not exist or the owner holds none of its recipients */
    @WithSpan("quarantine.user-get")
    public Owned owned(Owner owner, @SpanAttribute("portcullis.message_id") String itemId) {
        QuarantinedMessage row;
        try {
            row = queries.get(itemId);
        } catch (QuarantineProblem e) {
            if (e.kind() == Kind.NOT_FOUND) {
                throw notFound(itemId);
            }
            throw e;
        }
        List<RecipientState> mine = ownedOf(queries.recipients(itemId), owner);
        if (mine.isEmpty()) {
            throw notFound(itemId);
        }
        return new Owned(row, mine);
    }

    public UserItem item(Owner owner, String itemId) {
        Owned owned = owned(owner, itemId);
        return UserItem.of(owned.row(), owned.recipients(), areas.effective(owned.row().area).userRight);
    }

    @WithSpan("quarantine.user-preview")
    public MessagePreview preview(Owner owner, @SpanAttribute("portcullis.message_id") String itemId) {
        owned(owner, itemId);
        try (InputStream raw = queries.raw(itemId)) {
            return previewer.preview(raw);
        } catch (IOException e) {
            throw new QuarantineProblem(Kind.UNAVAILABLE, "the stored message could not be read", e);
        }
    }

    /** The attachment's description; 404 when there is no such attachment. Checks ownership. */
    public MessagePreview.Attachment attachmentInfo(Owner owner, String itemId, int index) {
        owned(owner, itemId);
        try (InputStream raw = queries.raw(itemId)) {
            Optional<MessagePreview.Attachment> found = previewer.attachment(raw, index, OutputStream.nullOutputStream());
            return found.orElseThrow(() -> new QuarantineProblem(Kind.NOT_FOUND,
                    "message " + itemId + " has no attachment " + index));
        } catch (IOException e) {
            throw new QuarantineProblem(Kind.UNAVAILABLE, "the stored message could not be read", e);
        }
    }

    /** Streams the decoded attachment (call {@link #attachmentInfo} first: this does not check ownership). */
    public void copyAttachment(String itemId, int index, OutputStream out) {
        try (InputStream raw = queries.raw(itemId)) {
            previewer.attachment(raw, index, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @WithSpan("quarantine.user-release")
    public QuarantineCommands.Accepted release(Owner owner, String itemId, String actor) {
        Owned owned = owned(owner, itemId);
        return commands.release(itemId, actor, Role.USER, owned.addresses());
    }

    @WithSpan("quarantine.user-request-release")
    public QuarantineCommands.Accepted requestRelease(Owner owner, String itemId, String actor) {
        Owned owned = owned(owner, itemId);
        return commands.requestRelease(itemId, actor, Role.USER, owned.addresses());
    }

    @WithSpan("quarantine.user-delete")
    public QuarantineCommands.Accepted delete(Owner owner, String itemId, String actor) {
        Owned owned = owned(owner, itemId);
        return commands.delete(itemId, actor, Role.USER, owned.addresses());
    }

    private static List<RecipientState> ownedOf(List<RecipientState> recipients, Owner owner) {
        return recipients.stream().filter(r -> owner.addresses().contains(r.address())).toList();
    }

    static QuarantineProblem notFound(String itemId) {
        return new QuarantineProblem(Kind.NOT_FOUND, "no quarantined message " + itemId);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
