package io.portcullis.policy.api;

import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleScope;
import java.time.Instant;
import java.util.List;

/**
 * A rule as a client sends it (POST creates, PUT replaces; also the rules of a policy bundle). Either the full form
 * ({@code conditions}, {@code actions}) or the short form ({@code match}, {@code action}, with {@code subjectPrefix}
 * and {@code addHeaders} for TAG); {@code direction}, {@code scope} and {@code expiresAt} go with either. Scalars are
 * loose types on purpose: the validator checks each and names the field at fault. See docs/policy.md.
 *
 * @param id            optional on POST (generated when absent); on PUT absent or equal to the path id
 * @param name          human-readable name
 * @param priority      lower runs first
 * @param enabled       defaults to true
 * @param direction     INBOUND, OUTBOUND or BOTH (default)
 * @param scope         senders and recipients (default anyone)
 * @param conditions    full form: all must hold (none or empty: always)
 * @param actions       full form: at most one main action and any others
 * @param expiresAt     optional instant from which the rule no longer applies (and is removed)
 * @param match         short form: VIRUS, MASS_MAILER, GRAYWARE, SPAM, BLOCKED_ATTACHMENT, ACTIVE_CONTENT,
 *                      SCAN_FAILURE or SYMBOL:NAME
 * @param action        short form: an {@link io.portcullis.contracts.events.Action} name
 * @param subjectPrefix short form: subject tag, only for TAG
 * @param addHeaders    short form: header fields to add, only for TAG
 */
public record RuleRequest(String id, String name, Integer priority, Boolean enabled, String direction,
        RuleScope scope, List<ConditionRequest> conditions, List<RuleAction> actions, Instant expiresAt, String match,
        String action, String subjectPrefix, List<HeaderField> addHeaders) {

    /** A short-form request (the form of the first releases). */
    public static RuleRequest shortForm(String id, String name, Integer priority, String match, String action,
            String subjectPrefix, List<HeaderField> addHeaders, Boolean enabled) {
        return new RuleRequest(id, name, priority, enabled, null, null, null, null, null, match, action,
                subjectPrefix, addHeaders);
    }
}
