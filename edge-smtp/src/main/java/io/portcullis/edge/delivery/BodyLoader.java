package io.portcullis.edge.delivery;

import io.portcullis.edge.storage.ObjectStore;

import io.portcullis.contracts.events.BodyRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Opens the bytes a {@link BodyRef} points at: inline bytes or an object in storage. The stream checks size and
 * SHA-256 as it is read and throws {@link BodyIntegrityException} at the end when they do not match, so a relay
 * in progress is aborted before the final dot and the next hop discards the message.
 */
@ApplicationScoped
public class BodyLoader {

    private final ObjectStore storage;

    public BodyLoader(ObjectStore storage) {
        this.storage = storage;
    }

    /** @throws IOException when the body cannot be opened (a missing object is a {@link java.io.FileNotFoundException}) */
    public InputStream open(BodyRef ref) throws IOException {
        if (ref == null) {
            throw new BodyIntegrityException("the record has no body reference");
        }
        InputStream raw;
        if (ref.isInline()) {
            raw = new ByteArrayInputStream(ref.inline());
        } else if (ref.bucket() != null && ref.key() != null) {
            raw = storage.open(ref.bucket(), ref.key());
        } else {
            throw new BodyIntegrityException("the body reference has neither inline bytes nor bucket and key");
        }
        return new CheckingInputStream(raw, ref.size(), ref.sha256());
    }

    /** Counts and hashes what is read; verifies both when the end is reached. */
    private static final class CheckingInputStream extends FilterInputStream {
        private final long expectedSize;
        private final String expectedSha256;
        private final MessageDigest digest;
        private long count;
        private boolean verified;

        CheckingInputStream(InputStream in, long expectedSize, String expectedSha256) {
            super(in);
            this.expectedSize = expectedSize;
            this.expectedSha256 = expectedSha256 == null || expectedSha256.isBlank() ? null : expectedSha256;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                verify();
            } else {
                digest.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                verify();
            } else {
                digest.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported while verifying the body");
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void verify() throws BodyIntegrityException {
            if (verified) {
                return;
            }
            verified = true;
            if (expectedSize >= 0 && count != expectedSize) {
                throw new BodyIntegrityException("body is " + count + " bytes, the record says " + expectedSize);
            }
            if (expectedSha256 != null) {
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equalsIgnoreCase(expectedSha256)) {
                    throw new BodyIntegrityException("body SHA-256 " + actual + " does not match " + expectedSha256);
                }
            }
        }
    }
}
