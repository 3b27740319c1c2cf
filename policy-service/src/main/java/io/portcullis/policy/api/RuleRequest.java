package io.portcullis.policy.api;

import io.portcullis.contracts.events.HeaderField;
import java.util.List;

/**
 * A rule as a client sends it (POST creates, PUT replaces). Fields are loose types on purpose: the validator
 * checks each one and names the field at fault.
 *
 * @param id            optional on POST (generated when absent); on PUT absent or equal to the path id
 * @param name          human-readable name
 * @param priority      lower runs first
 * @param match         VIRUS, MASS_MAILER, GRAYWARE, SPAM, BLOCKED_ATTACHMENT, ACTIVE_CONTENT, SCAN_FAILURE or SYMBOL:NAME
 * @param action        an {@link io.portcullis.contracts.events.Action} name
 * @param subjectPrefix subject tag, only for TAG
 * @param addHeaders    header fields to add, only for TAG
 * @param enabled       defaults to true
 */
public record RuleRequest(String id, String name, Integer priority, String match, String action,
        String subjectPrefix, List<HeaderField> addHeaders, Boolean enabled) {
}
