package io.portcullis.spam.rules;

/**
 * Bounds on what a rule sees, so that a huge or hostile message costs bounded time and memory. Any bound that cuts
 * something off marks the result {@link RuleResult#partial() partial}.
 *
 * @param maxMessageBytes bytes of the raw message parsed at all (the rest is ignored); also the bound of {@code full}
 * @param maxTextChars characters of {@code body} text and of {@code rawbody} text each
 * @param maxPartBytes decoded bytes read from one MIME text part
 * @param maxParts MIME parts looked at
 * @param maxHeaderChars characters of one header's value (all its instances together) and of {@code ALL}
 * @param maxUris distinct URIs collected for {@code uri} rules
 * @param maxUriChars characters of one URI (longer ones are cut)
 */
public record RuleLimits(int maxMessageBytes, int maxTextChars, int maxPartBytes, int maxParts, int maxHeaderChars,
        int maxUris, int maxUriChars) {

    /** 512 KiB parsed, 256 Ki characters of body and rawbody text, 64 parts, 200 URIs. */
    public static final RuleLimits DEFAULT = new RuleLimits(512 * 1024, 256 * 1024, 256 * 1024, 64, 16 * 1024, 200,
            2048);

    public RuleLimits {
        if (maxMessageBytes <= 0 || maxTextChars <= 0 || maxPartBytes <= 0 || maxParts <= 0 || maxHeaderChars <= 0
                || maxUris < 0 || maxUriChars <= 0) {
            throw new IllegalArgumentException("rule limits must be positive");
        }
    }
}
