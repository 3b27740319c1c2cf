package io.portcullis.report.api;

import java.time.Instant;

/**
 * One step of a message's path: RECEIVED, SCANNED, then delivery and quarantine events.
 *
 * @param kind   for a delivery step: MESSAGE (to the recipients), BCC_COPY (a policy's BCC copy) or RELEASE (of a
 *               quarantine release); null for other steps and for steps recorded before kinds were kept
 * @param itemId for a quarantine step: the quarantine item (a split message may have several); else null
 * @param area   for a quarantine step: the item's quarantine area, when known
 */
public record PathStep(Instant at, String type, String detail, String kind, String itemId, String area) {
}
