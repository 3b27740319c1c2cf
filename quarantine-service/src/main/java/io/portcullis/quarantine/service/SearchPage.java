package io.portcullis.quarantine.service;

import io.portcullis.quarantine.entity.QuarantinedMessage;
import io.portcullis.quarantine.entity.RecipientState;
import java.util.List;
import java.util.Map;

/**
 * One page of a search, newest first.
 *
 * @param items      the items
 * @param recipients each item's recipients with their states, by item id
 * @param total      all matches, when asked for ({@link SearchFilter#withTotal()}), else null
 * @param next       the cursor of the next page, or null when this page is the last
 * @param limit      the page size used
 * @param offset     the offset used
 */
public record SearchPage(List<QuarantinedMessage> items, Map<String, List<RecipientState>> recipients, Long total,
        Cursor next, int limit, int offset) {
}
