package io.portcullis.quarantine.rest;

import java.util.List;

/** One page of the list, newest first; {@code total} counts all matches. */
public record QuarantinePage(List<QuarantineItem> items, long total, int limit, int offset) {
}
