package io.portcullis.policy.service;

/**
 * One audited part of a change.
 *
 * @param operation e.g. {@code rule.create}, {@code rule.replace}, {@code rule.delete}, {@code domain.add},
 *                  {@code settings.replace}, {@code sender-list.add}, {@code bundle.import}, {@code rule.expire}
 * @param target    the rule id, domain or entry id; null for settings
 * @param before    the object before (written as JSON), null when it did not exist
 * @param after     the object after, null when it no longer exists
 */
public record AuditChange(String operation, String target, Object before, Object after) {
}
