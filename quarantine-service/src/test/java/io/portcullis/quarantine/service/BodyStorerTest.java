package io.portcullis.quarantine.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.quarantine.Fixtures;
import io.portcullis.quarantine.storage.BucketInitializer;
import io.portcullis.quarantine.storage.InMemoryObjectStore;
import io.portcullis.quarantine.storage.ObjectStoreException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BodyStorerTest {
    private static final String QUARANTINE = "portcullis-quarantine";
    private static final Instant RECEIVED = Instant.parse("2026-12-31T23:59:59Z");

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final BodyStorer storer = new BodyStorer(store, new BucketInitializer(store, QUARANTINE));

    @Test
    void writesInlineBodyUnderTheDayOfReceipt() {
        byte[] eml = Fixtures.eml("m1");
        BodyRef stored = storer.store("m1", RECEIVED, BodyRef.inline(eml, "abc"));
        assertEquals(BodyRef.stored(QUARANTINE, "2026/12/31/m1.eml", eml.length, "abc").key(), stored.key());
        assertEquals(QUARANTINE, stored.bucket());
        assertEquals(eml.length, stored.size());
        assertEquals("abc", stored.sha256());
        assertArrayEquals(eml, store.get(QUARANTINE, "2026/12/31/m1.eml").orElseThrow());
    }

    @Test
    void createsTheBucketWhenMissing() {
        assertFalse(store.bucketExists(QUARANTINE));
        storer.store("m2", RECEIVED, BodyRef.inline(new byte[] {1}, null));
        assertTrue(store.bucketExists(QUARANTINE));
    }

    @Test
    void copiesSpooledBodyWithoutReadingIt() {
        byte[] eml = Fixtures.eml("m3");
        store.createBucketIfMissing("portcullis-spool");
        store.put("portcullis-spool", "2026/12/31/m3.eml", eml, "message/rfc822");
        BodyRef stored = storer.store("m3", RECEIVED,
                BodyRef.stored("portcullis-spool", "2026/12/31/m3.eml", eml.length, "def"));
        assertEquals("2026/12/31/m3.eml", stored.key());
        assertEquals(eml.length, stored.size());
        assertArrayEquals(eml, store.get(QUARANTINE, "2026/12/31/m3.eml").orElseThrow());
        assertTrue(store.get("portcullis-spool", "2026/12/31/m3.eml").isPresent(), "the spool copy is not ours");
    }

    @Test
    void storingTwiceWritesTheSameKey() {
        byte[] eml = Fixtures.eml("m4");
        BodyRef first = storer.store("m4", RECEIVED, BodyRef.inline(eml, null));
        BodyRef second = storer.store("m4", RECEIVED, BodyRef.inline(eml, null));
        assertEquals(first, second);
        assertEquals(1, store.objectCount(QUARANTINE));
    }

    @Test
    void missingSpoolObjectIsPermanent() {
        store.createBucketIfMissing("portcullis-spool");
        assertThrows(PermanentFailure.class, () -> storer.store("m5", RECEIVED,
                BodyRef.stored("portcullis-spool", "gone.eml", 10, null)));
    }

    @Test
    void missingSpoolObjectIsFineWhenAnEarlierAttemptAlreadyCopiedIt() {
        store.createBucketIfMissing(QUARANTINE);
        store.put(QUARANTINE, "2026/12/31/m6.eml", new byte[] {1, 2}, "message/rfc822");
        BodyRef stored = storer.store("m6", RECEIVED, BodyRef.stored("portcullis-spool", "gone.eml", 2, null));
        assertEquals("2026/12/31/m6.eml", stored.key());
    }

    @Test
    void referenceWithoutBytesOrKeyIsPermanent() {
        assertThrows(PermanentFailure.class,
                () -> storer.store("m7", RECEIVED, new BodyRef(null, "portcullis-spool", null, 1, null)));
        assertThrows(PermanentFailure.class, () -> storer.store("m7", RECEIVED, null));
    }

    @Test
    void s3OutageIsTransientNotPermanent() {
        store.failing(true);
        assertThrows(ObjectStoreException.class,
                () -> storer.store("m8", RECEIVED, BodyRef.inline(new byte[] {1}, null)));
        store.failing(false);
        storer.store("m8", RECEIVED, BodyRef.inline(new byte[] {1}, null));
        assertTrue(store.get(QUARANTINE, "2026/12/31/m8.eml").isPresent());
    }

    @Test
    void unsafeMessageIdNeverBecomesAKey() {
        assertThrows(IllegalArgumentException.class,
                () -> storer.store("../../etc/passwd", RECEIVED, BodyRef.inline(new byte[] {1}, null)));
        assertEquals(0, store.objectCount(QUARANTINE));
    }
}
