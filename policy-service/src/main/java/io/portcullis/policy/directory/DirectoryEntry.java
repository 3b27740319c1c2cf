package io.portcullis.policy.directory;

import java.util.List;

/**
 * A user found in the directory.
 *
 * @param canonical the primary address (OpenLDAP: the first {@code mail}; AD: the {@code SMTP:} proxy address,
 *                  else {@code mail})
 * @param aliases   every other address of the user, without duplicates (compared case-insensitively)
 * @param dn        the user's DN
 * @param groups    every group the user belongs to, directly or through nested groups, by DN order of discovery
 */
public record DirectoryEntry(String canonical, List<String> aliases, String dn, List<Group> groups) {

    public DirectoryEntry {
        aliases = List.copyOf(aliases);
        groups = List.copyOf(groups);
    }

    /**
     * A group.
     *
     * @param name  its {@code cn} (the DN's first value when it has none)
     * @param dn    its DN
     * @param depth 1 when the user is a direct member, 2 for a group containing such a group, and so on
     */
    public record Group(String name, String dn, int depth) {
    }
}
