package io.portcullis.policy.directory;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.SocketFactory;
import org.jboss.logging.Logger;

/**
 * Uncached look-ups against the directory through a connection pool (UnboundID LDAP SDK). Thread-safe. Every filter
 * is built with the SDK's filter factory, which escapes the values: an address never becomes filter syntax.
 *
 * <p>Groups are found by searching for groups whose member attributes name the user's DN, then groups naming those
 * groups, level by level up to {@link DirectorySettings#maxGroupDepth()}; a group already seen is not followed again,
 * so cycles end. No server-side transitive matching rule is needed (OpenLDAP has none by default).
 */
public class LdapDirectory implements AutoCloseable {
    /** Most groups reported for one user (the walk stops there). */
    static final int MAX_GROUPS = 1000;
    /** Member DNs per group search (one OR filter each). */
    static final int FRONTIER_CHUNK = 50;

    private static final Logger LOG = Logger.getLogger(LdapDirectory.class);

    private final DirectorySettings settings;
    private final LDAPConnectionPool pool;
    private final int timeLimitSeconds;

    public LdapDirectory(DirectorySettings settings) {
        this.settings = settings;
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        options.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
        options.setAbandonOnTimeout(true);
        options.setUseKeepAlive(true);
        ServerSet[] servers = settings.urls().stream().map(u -> server(u, options)).toArray(ServerSet[]::new);
        ServerSet set = servers.length == 1 ? servers[0] : new FailoverServerSet(servers);
        BindRequest bind = settings.bindDn() == null ? null
                : new SimpleBindRequest(settings.bindDn(), settings.bindPassword());
        try {
            // no connection at start-up: an unreachable directory must not stop the service (readiness shows it)
            this.pool = new LDAPConnectionPool(set, bind, 0, settings.poolSize(), null, false);
        } catch (LDAPException e) {
            throw new IllegalStateException("directory connection pool: " + e.getMessage(), e);
        }
        pool.setConnectionPoolName("portcullis-directory");
        pool.setMaxWaitTimeMillis(settings.responseTimeout().toMillis());
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        pool.setCreateIfNecessary(true);
        this.timeLimitSeconds = (int) Math.max(1, settings.responseTimeout().toSeconds());
    }

    private static ServerSet server(LDAPURL url, LDAPConnectionOptions options) {
        SocketFactory sockets = null;
        if ("ldaps".equalsIgnoreCase(url.getScheme())) {
            try {
                sockets = new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS for " + url + ": " + e.getMessage(), e);
            }
        }
        return new SingleServerSet(url.getHost(), url.getPort(), sockets, options);
    }

    /**
     * Looks an address up (as primary address or alias, case-insensitively). Never throws: a directory failure is
     * {@link LookupResult.Outcome#UNAVAILABLE}.
     */
    public LookupResult lookup(String address) {
        try {
            SearchResultEntry user = findUser(address);
            if (user == null) {
                return LookupResult.notFound();
            }
            Addresses addresses = addresses(user);
            String canonical = addresses.canonical == null ? address : addresses.canonical;
            List<String> aliases = addresses.all.values().stream()
                    .filter(a -> !a.equalsIgnoreCase(canonical)).toList();
            return LookupResult.found(new DirectoryEntry(canonical, aliases, user.getDN(), groups(user.getDN())));
        } catch (LDAPException e) {
            LOG.debugf("directory look-up failed: %s", e.getExceptionMessage());
            return LookupResult.unavailable(describe(e));
        } catch (RuntimeException e) {
            LOG.warnf("directory look-up failed unexpectedly: %s", e.toString());
            return LookupResult.unavailable(e.getClass().getSimpleName());
        }
    }

    /** Reads the base DN: whether the directory answers with these settings. Null when it does, else the problem. */
    public String probe() {
        try {
            SearchRequest request = new SearchRequest(settings.baseDn(), SearchScope.BASE,
                    Filter.createPresenceFilter("objectClass"), "1.1");
            request.setTimeLimitSeconds(timeLimitSeconds);
            request.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
            SearchResult result = pool.search(request);
            return result.getEntryCount() == 1 ? null : "base DN not found";
        } catch (LDAPException e) {
            return describe(e);
        }
    }

    private SearchResultEntry findUser(String address) throws LDAPException {
        List<Filter> byAddress = new ArrayList<>();
        for (String attribute : settings.mailAttributes()) {
            byAddress.add(Filter.createEqualityFilter(attribute, address));
        }
        for (String attribute : settings.aliasAttributes()) {
            // proxyAddresses match case-insensitively, so "smtp:" also finds the "SMTP:" primary
            byAddress.add(Filter.createEqualityFilter(attribute,
                    settings.schema().typedAliases() ? "smtp:" + address : address));
        }
        Filter filter = Filter.createANDFilter(settings.userFilter(), Filter.createORFilter(byAddress));
        List<String> attributes = new ArrayList<>(settings.mailAttributes());
        attributes.addAll(settings.aliasAttributes());
        SearchRequest request = new SearchRequest(settings.baseDn(), SearchScope.SUB, filter,
                attributes.toArray(String[]::new));
        request.setSizeLimit(10);
        request.setTimeLimitSeconds(timeLimitSeconds);
        request.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
        List<SearchResultEntry> entries = search(request);
        if (entries.isEmpty()) {
            return null;
        }
        if (entries.size() > 1) {
            LOG.warnf("directory: %d user entries hold the same address; using the first by DN", entries.size());
        }
        return entries.stream().min(Comparator.comparing(e -> e.getDN().toLowerCase(Locale.ROOT))).orElseThrow();
    }

    private List<SearchResultEntry> search(SearchRequest request) throws LDAPException {
        try {
            return pool.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return e.getSearchEntries();
            }
            throw e;
        }
    }

    private List<DirectoryEntry.Group> groups(String userDn) throws LDAPException {
        List<Filter> classes = settings.groupObjectClasses().stream()
                .map(c -> Filter.createEqualityFilter("objectClass", c)).toList();
        Filter isGroup = Filter.createORFilter(classes);
        Set<String> seen = new HashSet<>();
        seen.add(normalize(userDn));
        List<DirectoryEntry.Group> groups = new ArrayList<>();
        List<String> frontier = List.of(userDn);
        for (int depth = 1; depth <= settings.maxGroupDepth() && !frontier.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (int from = 0; from < frontier.size(); from += FRONTIER_CHUNK) {
                List<Filter> members = new ArrayList<>();
                for (String dn : frontier.subList(from, Math.min(frontier.size(), from + FRONTIER_CHUNK))) {
                    for (String attribute : settings.memberAttributes()) {
                        members.add(Filter.createEqualityFilter(attribute, dn));
                    }
                }
                SearchRequest request = new SearchRequest(settings.baseDn(), SearchScope.SUB,
                        Filter.createANDFilter(isGroup, Filter.createORFilter(members)), "cn");
                request.setSizeLimit(MAX_GROUPS);
                request.setTimeLimitSeconds(timeLimitSeconds);
                request.setResponseTimeoutMillis(settings.responseTimeout().toMillis());
                for (SearchResultEntry group : search(request)) {
                    if (seen.add(normalize(group.getDN()))) {
                        if (groups.size() >= MAX_GROUPS) {
                            LOG.warnf("directory: more than %d groups for one user; the rest are ignored", MAX_GROUPS);
                            return groups;
                        }
                        groups.add(new DirectoryEntry.Group(name(group), group.getDN(), depth));
                        next.add(group.getDN());
                    }
                }
            }
            frontier = next;
        }
        return groups;
    }

    private static String name(SearchResultEntry group) {
        String cn = group.getAttributeValue("cn");
        if (cn != null) {
            return cn;
        }
        try {
            return new DN(group.getDN()).getRDN().getAttributeValues()[0];
        } catch (LDAPException e) {
            return group.getDN();
        }
    }

    private static String normalize(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    /** Every address of a user, keyed by lower case, first spelling kept; the canonical one. */
    private record Addresses(String canonical, Map<String, String> all) {
    }

    private Addresses addresses(SearchResultEntry user) {
        Map<String, String> all = new LinkedHashMap<>();
        String primary = null;
        String firstMail = null;
        for (String attribute : settings.mailAttributes()) {
            String[] values = user.getAttributeValues(attribute);
            for (String v : values == null ? new String[0] : values) {
                String a = v.trim();
                if (!a.isEmpty()) {
                    firstMail = firstMail == null ? a : firstMail;
                    all.putIfAbsent(a.toLowerCase(Locale.ROOT), a);
                }
            }
        }
        for (String attribute : settings.aliasAttributes()) {
            String[] values = user.getAttributeValues(attribute);
            for (String v : values == null ? new String[0] : values) {
                String a = v.trim();
                if (settings.schema().typedAliases()) {
                    int colon = a.indexOf(':');
                    if (colon <= 0 || !a.substring(0, colon).equalsIgnoreCase("smtp")) {
                        continue; // X500:, x400:, sip: ... are not mail addresses
                    }
                    boolean isPrimary = a.startsWith("SMTP:");
                    a = a.substring(colon + 1).trim();
                    if (isPrimary && primary == null && !a.isEmpty()) {
                        primary = a;
                    }
                }
                if (!a.isEmpty()) {
                    all.putIfAbsent(a.toLowerCase(Locale.ROOT), a);
                }
            }
        }
        return new Addresses(primary != null ? primary : firstMail, all);
    }

    private static String describe(LDAPException e) {
        return e.getResultCode().getName() + (e.getDiagnosticMessage() == null ? "" : ": " + e.getDiagnosticMessage());
    }

    @Override
    public void close() {
        pool.close();
    }
}
