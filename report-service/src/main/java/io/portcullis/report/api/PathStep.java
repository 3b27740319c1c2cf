package io.portcullis.report.api;

import java.time.Instant;

/** One step of a message's path: RECEIVED, SCANNED, then delivery and quarantine events. */
public record PathStep(Instant at, String type, String detail) {
}
