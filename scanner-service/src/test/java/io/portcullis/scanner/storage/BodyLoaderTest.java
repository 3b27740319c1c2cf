package io.portcullis.scanner.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.scanner.support.InMemoryBodyStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BodyLoaderTest {
    private static final byte[] BODY = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    private final InMemoryBodyStore store = new InMemoryBodyStore();

    private BodyLoader loader(long max) {
        return new BodyLoader(store, max, true, 3, Duration.ofMillis(1));
    }

    @Test
    void loadsInlineBody() throws Exception {
        LoadedBody b = loader(1000).load("m", BodyRef.inline(BODY, BodyLoader.sha256(BODY)));
        assertArrayEquals(BODY, b.bytes());
        assertFalse(b.truncated());
        assertEquals(0, store.opens());
    }

    @Test
    void loadsStoredBody() throws Exception {
        store.put("portcullis-spool", "2026/01/01/m.eml", BODY);
        LoadedBody b = loader(1000).load("m", BodyRef.stored("portcullis-spool", "2026/01/01/m.eml", BODY.length,
                BodyLoader.sha256(BODY)));
        assertArrayEquals(BODY, b.bytes());
    }

    @Test
    void missingObjectIsUnavailableWithoutRetries() {
        BodyRef ref = BodyRef.stored("portcullis-spool", "nope.eml", 10, null);
        assertThrows(BodyUnavailableException.class, () -> loader(1000).load("m", ref));
        assertEquals(1, store.opens());
    }

    @Test
    void transientFailuresAreRetried() throws Exception {
        store.put("b", "k", BODY);
        store.failNext(2);
        LoadedBody b = loader(1000).load("m", BodyRef.stored("b", "k", BODY.length, BodyLoader.sha256(BODY)));
        assertArrayEquals(BODY, b.bytes());
        assertEquals(3, store.opens());
    }

    @Test
    void unboundedAttemptsKeepRetryingPastAnyFixedCountInsteadOfDeadLettering() throws Exception {
        // 8 failures (backoff 1+2+...+128 ms): more than the bounded loader's 3 attempts would allow.
        store.put("b", "k", BODY);
        store.failNext(8);
        BodyLoader unbounded = new BodyLoader(store, 1000, true, 0, Duration.ofMillis(1));
        LoadedBody b = unbounded.load("m", BodyRef.stored("b", "k", BODY.length, BodyLoader.sha256(BODY)));
        assertArrayEquals(BODY, b.bytes());
        assertEquals(9, store.opens());
    }

    @Test
    void exhaustedRetriesAreUnavailableNeverAnEmptyBody() {
        store.put("b", "k", BODY);
        store.failNext(10);
        BodyUnavailableException e = assertThrows(BodyUnavailableException.class,
                () -> loader(1000).load("m", BodyRef.stored("b", "k", BODY.length, null)));
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertEquals(3, store.opens());
    }

    @Test
    void sha256MismatchIsUnavailable() {
        store.put("b", "k", BODY);
        BodyRef ref = BodyRef.stored("b", "k", BODY.length, BodyLoader.sha256("other".getBytes()));
        assertThrows(BodyUnavailableException.class, () -> loader(1000).load("m", ref));
        assertThrows(BodyUnavailableException.class,
                () -> loader(1000).load("m", BodyRef.inline(BODY, BodyLoader.sha256("x".getBytes()))));
    }

    @Test
    void sha256IsComparedCaseInsensitively() throws Exception {
        loader(1000).load("m", BodyRef.inline(BODY, BodyLoader.sha256(BODY).toUpperCase()));
    }

    @Test
    void bodyAboveTheLimitIsTruncatedAndFlagged() throws Exception {
        store.put("b", "k", BODY);
        LoadedBody b = loader(5).load("m", BodyRef.stored("b", "k", BODY.length, BodyLoader.sha256(BODY)));
        assertEquals(5, b.bytes().length);
        assertTrue(b.truncated());
    }

    @Test
    void referenceWithoutInlineOrObjectIsPoison() {
        assertThrows(IllegalArgumentException.class,
                () -> loader(1000).load("m", new BodyRef(null, null, null, 0, null)));
        assertThrows(IllegalArgumentException.class, () -> loader(1000).load("m", null));
    }
}
