package io.portcullis.quarantine.rest;

import java.util.List;

/**
 * One page of the list, newest first. {@code total} counts all matches (null with a cursor: keyset pages do not
 * count); {@code nextCursor} fetches the page after this one (null on the last page).
 */
public record QuarantinePage(List<QuarantineItem> items, Long total, int limit, int offset, String nextCursor) {
}
