package io.portcullis.policy.api;

import io.portcullis.policy.directory.DirectoryEntry;
import java.util.List;

/**
 * {@code GET /api/v1/directory/lookup?address=} when the address is known.
 *
 * @param address   the address asked for, as given
 * @param canonical the user's primary address
 * @param aliases   the user's other addresses
 * @param dn        the user's DN
 * @param groups    every group of the user, nested ones included ({@code depth} 1 = direct member)
 */
public record DirectoryLookupView(String address, String canonical, List<String> aliases, String dn,
        List<DirectoryEntry.Group> groups) {

    public static DirectoryLookupView of(String address, DirectoryEntry entry) {
        return new DirectoryLookupView(address, entry.canonical(), entry.aliases(), entry.dn(), entry.groups());
    }
}
