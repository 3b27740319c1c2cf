package io.portcullis.report.api;

import java.util.List;

/**
 * A message with its ordered path and, once its verdict is known, what policy decided per recipient (for a split
 * message, each recipient's action and rule; empty before the verdict).
 */
public record MessageTrace(MessageSummary message, List<PathStep> path, List<RecipientDecisionView> decisions) {
}
