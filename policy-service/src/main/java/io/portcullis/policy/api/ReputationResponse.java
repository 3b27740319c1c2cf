package io.portcullis.policy.api;

import java.util.List;

/**
 * The answer to a reputation request: the version of the bundle whose hash databases answered (null when no
 * bundle is active) and one result per requested file, in request order.
 */
public record ReputationResponse(String version, List<Result> results) {

    /** {@code MALICIOUS} when a hash signature matched, else {@code UNKNOWN}. */
    public enum Verdict {
        MALICIOUS, UNKNOWN
    }

    /**
     * One file's answer.
     *
     * @param sha256    the file's SHA-256 (lower case), to pair answers with files
     * @param verdict   MALICIOUS or UNKNOWN
     * @param signature the matching signature name, or null
     * @param category  av-engine's category of the signature name (VIRUS, WORM_MASS_MAILER, TROJAN, SPYWARE,
     *                  ADWARE, DIALER, PUA_GRAYWARE, TEST), or null
     */
    public record Result(String sha256, Verdict verdict, String signature, String category) {
    }
}
