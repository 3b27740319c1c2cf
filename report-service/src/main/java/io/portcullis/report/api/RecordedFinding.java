package io.portcullis.report.api;

import io.portcullis.contracts.scan.Category;

/**
 * One finding as recorded for rule simulation: the detail text of the engine is not kept.
 *
 * @param symbol   the finding's symbol
 * @param category its category
 * @param score    its spam score contribution; null when the engine reported a non-finite number
 */
public record RecordedFinding(String symbol, Category category, Double score) {
}
