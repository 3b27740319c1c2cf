package io.portcullis.edge.delivery;

import io.portcullis.edge.storage.InMemoryObjectStore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.contracts.events.BodyRef;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BodyLoaderTest {

    private final InMemoryObjectStore storage = new InMemoryObjectStore();
    private final BodyLoader loader = new BodyLoader(storage);
    private final byte[] bytes = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private String sha() throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void readsInlineAndStoredBodies() throws Exception {
        storage.put("b", "k", bytes);
        try (InputStream in = loader.open(BodyRef.inline(bytes, sha()))) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        try (InputStream in = loader.open(BodyRef.stored("b", "k", bytes.length, sha()))) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
    }

    @Test
    void missingObjectIsFileNotFound() {
        assertThrows(FileNotFoundException.class, () -> loader.open(BodyRef.stored("b", "nope", 1, null)));
    }

    @Test
    void wrongDigestOrSizeIsAnIntegrityFailureAtTheEnd() throws Exception {
        storage.put("b", "k", bytes);
        try (InputStream in = loader.open(BodyRef.stored("b", "k", bytes.length, "ab".repeat(32)))) {
            assertThrows(BodyIntegrityException.class, in::readAllBytes);
        }
        try (InputStream in = loader.open(BodyRef.stored("b", "k", bytes.length + 1, sha()))) {
            assertThrows(BodyIntegrityException.class, in::readAllBytes);
        }
    }

    @Test
    void referenceWithoutBytesOrKeyIsAnIntegrityFailure() {
        assertThrows(BodyIntegrityException.class, () -> loader.open(new BodyRef(null, null, null, 0, null)));
        assertThrows(BodyIntegrityException.class, () -> loader.open(null));
    }
}
