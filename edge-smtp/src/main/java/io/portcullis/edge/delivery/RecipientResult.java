package io.portcullis.edge.delivery;

/**
 * What the next hop said about one recipient in one relay attempt.
 *
 * @param recipient the forward path
 * @param outcome   accepted, temporary or permanent failure
 * @param reply     the remote reply ("250 2.0.0 Ok") or the local error that stood in for it
 */
public record RecipientResult(String recipient, Outcome outcome, String reply) {

    public enum Outcome {
        /** 2xx after the end of DATA: the next hop took responsibility. */
        ACCEPTED,
        /** 4xx, or the connection failed or timed out: try again later. */
        TEMPORARY,
        /** 5xx: do not try again. */
        PERMANENT
    }

    /** The outcome a reply code class stands for: 2 accepted, 5 permanent, everything else temporary. */
    static Outcome outcomeOf(int code) {
        if (code >= 200 && code < 300) {
            return Outcome.ACCEPTED;
        }
        return code >= 500 && code < 600 ? Outcome.PERMANENT : Outcome.TEMPORARY;
    }
}
