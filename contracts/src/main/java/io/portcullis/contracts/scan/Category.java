package io.portcullis.contracts.scan;

/**
 * What kind of thing a finding is about; policy rules match on these.
 *
 * <ul>
 *   <li>{@code VIRUS}: malware (virus, worm, trojan, test file)</li>
 *   <li>{@code GRAYWARE}: spyware, adware, dialers, potentially unwanted applications: not malware, own policy</li>
 *   <li>{@code SPAM}: spam evidence with a score</li>
 *   <li>{@code BLOCKED_ATTACHMENT}: a file type the policy blocks (by name or true type)</li>
 *   <li>{@code ACTIVE_CONTENT}: content that runs when opened: macros, PDF JavaScript/launch actions, ActiveX,
 *       applets, HTML smuggling</li>
 *   <li>{@code CONTENT}: other notable content (defects, file type mismatches, forms)</li>
 *   <li>{@code FAILURE}: not fully scanned (engine failure, limit hit, unscannable or suspicious container)</li>
 *   <li>{@code INFO}: recorded only</li>
 * </ul>
 */
public enum Category {
    VIRUS, SPAM, BLOCKED_ATTACHMENT, CONTENT, FAILURE, INFO, GRAYWARE, ACTIVE_CONTENT
}
