package io.portcullis.contracts.scan;

/**
 * One named fact an engine found. Engines report findings; policy decides what to do.
 *
 * @param symbol   stable upper-case name, e.g. {@code AV_TEST}, {@code GTUBE}, {@code BANNED_EXTENSION}, {@code AV_FAIL}
 * @param category what kind of finding it is
 * @param score    contribution to the spam score (0 for non-spam findings)
 * @param detail   short human-readable detail: a signature name, a part path, an extension. Never message content.
 */
public record Finding(String symbol, Category category, double score, String detail) {
}
