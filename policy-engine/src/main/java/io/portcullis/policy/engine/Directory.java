package io.portcullis.policy.engine;

import java.util.Set;

/** What rule scopes need from a user directory. Implementations cache; the evaluator asks per address. */
public interface Directory {

    /** No directory: no aliases, no groups. */
    Directory NONE = address -> Membership.NONE;

    /**
     * Aliases and groups of an address.
     *
     * @throws DirectoryUnavailableException when the directory can't answer now (the message must be retried, not
     *     evaluated as if the user were in no group)
     */
    Membership lookup(String address);

    /**
     * @param aliases other addresses of the same mailbox, lower case
     * @param groups  names and DNs of the groups it belongs to, nested ones included, lower case
     */
    record Membership(Set<String> aliases, Set<String> groups) {
        public static final Membership NONE = new Membership(Set.of(), Set.of());

        public Membership {
            aliases = Set.copyOf(aliases);
            groups = Set.copyOf(groups);
        }
    }

    /** The directory could not answer (down, timed out). */
    final class DirectoryUnavailableException extends RuntimeException {
        public DirectoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
