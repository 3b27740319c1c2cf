package io.portcullis.report.api;

import java.util.List;

/** A message with its ordered path. */
public record MessageTrace(MessageSummary message, List<PathStep> path) {
}
