package io.portcullis.quarantine.rest;

import java.util.List;

/** Optional body of release and delete: the recipients to act on (all when absent or empty). */
public record RecipientsRequest(List<String> recipients) {
}
