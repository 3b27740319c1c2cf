package io.portcullis.policy.api;

import java.util.List;

/**
 * Bulk import: every entry is validated first; then all are added in one transaction (one policy version, one
 * PolicyChanged) or none is.
 *
 * @param entries the entries to add (at most {@link io.portcullis.policy.service.SenderListValidator#MAX_IMPORT})
 */
public record SenderListImportRequest(List<SenderListRequest> entries) {
}
