package io.portcullis.edge.smtp;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Relay control: whether the server accepts mail for a recipient domain. A recipient whose domain is not accepted
 * gets {@code 550 5.7.1 Relaying denied}. Called on the event loop: implementations must answer from memory.
 */
@FunctionalInterface
public interface RecipientPolicy {

    /**
     * @param domain the recipient's domain in lower case, as the client wrote it (no IDNA conversion); an address
     *               literal keeps its brackets, e.g. {@code [192.0.2.1]}
     * @return true when mail for this domain is accepted
     */
    boolean acceptsDomain(String domain);

    /**
     * The verdict for one recipient: relay control, and the hook for recipient validation (e.g. a directory lookup
     * answering {@link RecipientVerdict#UNKNOWN_USER}). The default only applies {@link #acceptsDomain(String)}.
     * Must answer from memory, like {@link #acceptsDomain(String)}.
     *
     * @param address the recipient {@code local@domain} as the client wrote it
     * @param domain  its domain in lower case (see {@link #acceptsDomain(String)})
     */
    default RecipientVerdict check(String address, String domain) {
        return acceptsDomain(domain) ? RecipientVerdict.ACCEPT : RecipientVerdict.RELAY_DENIED;
    }

    /** Relay control off: every syntactically valid recipient is accepted (the development sink). */
    static RecipientPolicy acceptAll() {
        return domain -> true;
    }

    /** A fixed list of accepted domains, compared case-insensitively. */
    static RecipientPolicy domains(Collection<String> domains) {
        Set<String> accepted = domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return domain -> accepted.contains(domain.toLowerCase(Locale.ROOT));
    }
}
