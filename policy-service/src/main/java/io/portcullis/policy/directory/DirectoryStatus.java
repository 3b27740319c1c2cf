package io.portcullis.policy.directory;

import java.util.List;

/**
 * What {@code GET /api/v1/directory/status} shows.
 *
 * @param configured  whether a directory is configured ({@code portcullis.policy.directory.enabled})
 * @param schema      {@code openldap} or {@code active-directory}, null when not configured
 * @param urls        the configured servers (no credentials)
 * @param reachable   whether the base DN could be read just now; null when not configured
 * @param problem     why not, or null
 * @param cacheSize   addresses cached now (approximate)
 * @param cacheHits   look-ups answered from the cache since start
 * @param cacheMisses look-ups that went to the directory since start
 */
public record DirectoryStatus(boolean configured, String schema, List<String> urls, Boolean reachable,
        String problem, long cacheSize, long cacheHits, long cacheMisses) {
}
