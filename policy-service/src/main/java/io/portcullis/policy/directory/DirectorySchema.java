package io.portcullis.policy.directory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The three directory layouts supported, with their default filter and attribute names (each overridable in
 * {@code portcullis.policy.directory.*}).
 */
public enum DirectorySchema {
    /** OpenLDAP and friends: inetOrgPerson with mail and mailAlternateAddress; groupOfNames / groupOfUniqueNames. */
    OPENLDAP("openldap", "(objectClass=inetOrgPerson)", List.of("mail"), List.of("mailAlternateAddress"),
            List.of("groupOfNames", "groupOfUniqueNames"), List.of("member", "uniqueMember"), false),
    /** Active Directory: user objects with mail and proxyAddresses ({@code SMTP:} primary, {@code smtp:} alias). */
    ACTIVE_DIRECTORY("active-directory", "(objectClass=user)", List.of("mail"), List.of("proxyAddresses"),
            List.of("group"), List.of("member"), true),
    /**
     * HCL (Lotus) Domino's LDAP service: Person documents as {@code dominoPerson} with {@code mail} (the Internet
     * address), Group documents as {@code dominoGroup} with {@code member}. Domino has no standard alias attribute;
     * set {@code alias-attributes} where the directory publishes one.
     */
    DOMINO("domino", "(objectClass=dominoPerson)", List.of("mail"), List.of(),
            List.of("dominoGroup"), List.of("member"), false);

    private final String key;
    private final String userFilter;
    private final List<String> mailAttributes;
    private final List<String> aliasAttributes;
    private final List<String> groupObjectClasses;
    private final List<String> memberAttributes;
    private final boolean typedAliases;

    DirectorySchema(String key, String userFilter, List<String> mailAttributes, List<String> aliasAttributes,
            List<String> groupObjectClasses, List<String> memberAttributes, boolean typedAliases) {
        this.key = key;
        this.userFilter = userFilter;
        this.mailAttributes = mailAttributes;
        this.aliasAttributes = aliasAttributes;
        this.groupObjectClasses = groupObjectClasses;
        this.memberAttributes = memberAttributes;
        this.typedAliases = typedAliases;
    }

    /** The configuration value: {@code openldap}, {@code active-directory} or {@code domino}. */
    public String key() {
        return key;
    }

    public static Optional<DirectorySchema> parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (DirectorySchema s : values()) {
            if (s.key.equals(v) || s.name().toLowerCase(Locale.ROOT).equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public String defaultUserFilter() {
        return userFilter;
    }

    public List<String> defaultMailAttributes() {
        return mailAttributes;
    }

    public List<String> defaultAliasAttributes() {
        return aliasAttributes;
    }

    public List<String> defaultGroupObjectClasses() {
        return groupObjectClasses;
    }

    public List<String> defaultMemberAttributes() {
        return memberAttributes;
    }

    /**
     * Whether alias values carry an address type ({@code SMTP:primary}, {@code smtp:alias}, {@code X500:...}) as
     * Active Directory's proxyAddresses do.
     */
    public boolean typedAliases() {
        return typedAliases;
    }
}
