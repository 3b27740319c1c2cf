package io.portcullis.policy.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import io.portcullis.policy.config.PolicyConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checked directory settings: schema defaults applied, every value validated. Built at start-up (by
 * {@link DirectoryService}), so a bad value stops the service with a message naming its key.
 *
 * @param enabled            whether look-ups go to a directory (when false every other value is unchecked/null)
 * @param urls               directory servers, in fail-over order
 * @param bindDn             simple-bind DN, or null for anonymous
 * @param bindPassword       its password, or null
 * @param baseDn             subtree searched for users and groups
 * @param schema             the layout
 * @param userFilter         selects user entries
 * @param mailAttributes     attributes with primary addresses
 * @param aliasAttributes    attributes with aliases
 * @param groupObjectClasses object classes of groups
 * @param memberAttributes   attributes of groups naming member DNs
 * @param maxGroupDepth      nesting levels followed
 * @param connectTimeout     TCP/TLS connect timeout
 * @param responseTimeout    per-operation timeout
 * @param poolSize           most pooled connections
 * @param cacheTtl           how long a found entry is cached
 * @param negativeCacheTtl   how long an unknown address is cached
 * @param cacheMaxEntries    most cached addresses
 */
public record DirectorySettings(boolean enabled, List<LDAPURL> urls, String bindDn, String bindPassword,
        String baseDn, DirectorySchema schema, Filter userFilter, List<String> mailAttributes,
        List<String> aliasAttributes, List<String> groupObjectClasses, List<String> memberAttributes,
        int maxGroupDepth, Duration connectTimeout, Duration responseTimeout, int poolSize, Duration cacheTtl,
        Duration negativeCacheTtl, long cacheMaxEntries) {

    static final String PREFIX = "portcullis.policy.directory.";
    private static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z][A-Za-z0-9-]{0,127}$");

    /** Checks the configuration; throws {@link IllegalArgumentException} naming the key at fault. */
    public static DirectorySettings of(PolicyConfig.Directory c) {
        DirectorySchema schema = DirectorySchema.parse(c.schema()).orElseThrow(() -> bad("schema",
                "must be openldap, active-directory or domino, is '" + c.schema() + "'"));
        List<String> mail = attributes("mail-attributes", c.mailAttributes(), schema.defaultMailAttributes());
        List<String> alias = attributes("alias-attributes", c.aliasAttributes(), schema.defaultAliasAttributes());
        List<String> classes = attributes("group-object-classes", c.groupObjectClasses(),
                schema.defaultGroupObjectClasses());
        List<String> members = attributes("member-attributes", c.memberAttributes(),
                schema.defaultMemberAttributes());
        String filterText = c.userFilter().filter(f -> !f.isBlank()).orElse(schema.defaultUserFilter());
        Filter userFilter;
        try {
            userFilter = Filter.create(filterText.trim());
        } catch (LDAPException e) {
            throw bad("user-filter", "is not an LDAP filter: " + e.getMessage());
        }
        if (c.maxGroupDepth() < 1 || c.maxGroupDepth() > 50) {
            throw bad("max-group-depth", "must be 1..50, is " + c.maxGroupDepth());
        }
        positive("connect-timeout", c.connectTimeout());
        positive("response-timeout", c.responseTimeout());
        positive("cache-ttl", c.cacheTtl());
        positive("negative-cache-ttl", c.negativeCacheTtl());
        if (c.poolSize() < 1 || c.poolSize() > 100) {
            throw bad("pool-size", "must be 1..100, is " + c.poolSize());
        }
        if (c.cacheMaxEntries() < 1 || c.cacheMaxEntries() > 10_000_000) {
            throw bad("cache-max-entries", "must be 1..10000000, is " + c.cacheMaxEntries());
        }
        if (!c.enabled()) {
            return new DirectorySettings(false, List.of(), null, null, null, schema, userFilter, mail, alias,
                    classes, members, c.maxGroupDepth(), c.connectTimeout(), c.responseTimeout(), c.poolSize(),
                    c.cacheTtl(), c.negativeCacheTtl(), c.cacheMaxEntries());
        }
        List<String> urlTexts = c.urls().orElse(List.of()).stream().map(String::trim).filter(u -> !u.isEmpty())
                .toList();
        if (urlTexts.isEmpty()) {
            throw bad("urls", "is required when the directory is enabled (ldap://host:389 or ldaps://host:636)");
        }
        List<LDAPURL> urls = urlTexts.stream().map(DirectorySettings::url).toList();
        String baseDn = c.baseDn().map(String::trim).filter(b -> !b.isEmpty())
                .orElseThrow(() -> bad("base-dn", "is required when the directory is enabled"));
        dn("base-dn", baseDn);
        String bindDn = c.bindDn().map(String::trim).filter(b -> !b.isEmpty()).orElse(null);
        String password = c.bindPassword().filter(p -> !p.isEmpty()).orElse(null);
        if (bindDn != null) {
            dn("bind-dn", bindDn);
            if (password == null) {
                throw bad("bind-password", "is required with a bind DN");
            }
        }
        return new DirectorySettings(true, urls, bindDn, password, baseDn, schema, userFilter, mail, alias,
                classes, members, c.maxGroupDepth(), c.connectTimeout(), c.responseTimeout(), c.poolSize(),
                c.cacheTtl(), c.negativeCacheTtl(), c.cacheMaxEntries());
    }

    private static LDAPURL url(String text) {
        LDAPURL url;
        try {
            url = new LDAPURL(text);
        } catch (LDAPException e) {
            throw bad("urls", "'" + text + "' is not an LDAP URL: " + e.getMessage());
        }
        String scheme = url.getScheme();
        if (!"ldap".equalsIgnoreCase(scheme) && !"ldaps".equalsIgnoreCase(scheme) || !url.hostProvided()) {
            throw bad("urls", "'" + text + "' must be ldap://host[:port] or ldaps://host[:port]");
        }
        return url;
    }

    private static void dn(String key, String value) {
        try {
            new DN(value);
        } catch (LDAPException e) {
            throw bad(key, "is not a DN: " + e.getMessage());
        }
    }

    private static List<String> attributes(String key, Optional<List<String>> configured, List<String> defaults) {
        List<String> values = configured.orElse(List.of()).stream().map(String::trim).filter(v -> !v.isEmpty())
                .toList();
        if (values.isEmpty()) {
            return defaults;
        }
        for (String v : values) {
            if (!ATTRIBUTE.matcher(v).matches()) {
                throw bad(key, "'" + v + "' is not an attribute or object class name");
            }
        }
        return values;
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw bad(key, "must be positive");
        }
    }

    private static IllegalArgumentException bad(String key, String problem) {
        return new IllegalArgumentException(PREFIX + key + " " + problem);
    }
}
