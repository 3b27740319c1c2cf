package io.portcullis.edge.delivery;

/** Why a destination's next hops could not be found: temporary (DNS timeout, SERVFAIL) or permanent (null MX). */
public final class RouteException extends Exception {

    private final boolean permanent;

    /**
     * @param permanent true when retrying cannot help (the domain does not exist or accepts no mail)
     * @param reply     an SMTP-style reply standing in for the remote one, e.g. {@code 550 5.1.10 ...}
     */
    public RouteException(boolean permanent, String reply) {
        super(reply, null, false, false);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    /** The reply text for events and DSNs. */
    public String reply() {
        return getMessage();
    }
}
