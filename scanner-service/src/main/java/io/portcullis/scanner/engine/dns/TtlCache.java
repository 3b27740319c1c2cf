package io.portcullis.scanner.engine.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A bounded cache of DNS answers where every entry lives for its own TTL (the record's, or the zone's negative TTL per
 * RFC 2308), capped by a configured maximum; shared by the blocklist lookups and the SPF/DKIM/DMARC lookups.
 * Thread-safe.
 *
 * @param <K> the question
 * @param <V> the answer
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, long ttlSeconds) {
    }

    private final Cache<K, Entry<V>> cache;
    private final long maxTtlSeconds;

    public TtlCache(long maximumSize, Duration maxTtl, Ticker ticker) {
        this.maxTtlSeconds = Math.max(1, maxTtl.toSeconds());
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(new Expiry<K, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(K key, Entry<V> value, long currentTime) {
                        return TimeUnit.SECONDS.toNanos(value.ttlSeconds());
                    }

                    @Override
                    public long expireAfterUpdate(K key, Entry<V> value, long currentTime, long currentDuration) {
                        return TimeUnit.SECONDS.toNanos(value.ttlSeconds());
                    }

                    @Override
                    public long expireAfterRead(K key, Entry<V> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** The cached answer, or null. */
    public V get(K key) {
        Entry<V> e = cache.getIfPresent(key);
        return e == null ? null : e.value();
    }

    /** Caches an answer for {@code ttlSeconds}, at most the maximum TTL; a TTL of 0 is not cached. */
    public V remember(K key, V value, long ttlSeconds) {
        long ttl = Math.min(ttlSeconds, maxTtlSeconds);
        if (ttl > 0) {
            cache.put(key, new Entry<>(value, ttl));
        }
        return value;
    }

    /** RFC 2308: the lower of the SOA's TTL and its minimum field; the maximum TTL when the server sent no SOA. */
    public long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return maxTtlSeconds;
    }

    /** Entries held now (expired ones removed first). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
