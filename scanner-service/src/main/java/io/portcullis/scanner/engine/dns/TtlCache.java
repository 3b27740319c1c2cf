package io.portcullis.scanner.engine.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * A bounded cache of DNS answers where every entry lives for its own TTL (the record's, or the zone's negative TTL),
 * shared by the blocklist lookups and the SPF/DKIM/DMARC lookups. Thread-safe.
 *
 * @param <K> the question
 * @param <V> the answer
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, long ttlSeconds) {
    }

    private final Cache<K, Entry<V>> cache;

    public TtlCache(long maximumSize, Ticker ticker) {
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

    /** Caches an answer for {@code ttlSeconds}. */
    public void put(K key, V value, long ttlSeconds) {
        cache.put(key, new Entry<>(value, ttlSeconds));
    }

    /** Entries held now (expired ones removed first). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
