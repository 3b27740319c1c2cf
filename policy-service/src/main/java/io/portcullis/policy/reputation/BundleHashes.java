package io.portcullis.policy.reputation;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureSetBuilder;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Builds the hash-reputation set of a normalized bundle: only whole-file hash databases, i.e. the {@code .hdb} and
 * {@code .hsb} files and the {@code .hdb}/{@code .hsb} members of {@code .cvd}/{@code .cld} containers. Body
 * signatures ({@code .ndb}, {@code .ldb}) are not loaded: the service answers hash look-ups only, so it holds no
 * Aho–Corasick automaton. The whole object is digested while it is read; a size or SHA-256 that differs from the
 * recorded one fails the load, so a set is never built from bytes other than the published ones.
 */
public final class BundleHashes {
    private static final int CONTAINER_HEADER = 512;
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

    private BundleHashes() {
    }

    /** The bundle could not be read or is not the recorded one. */
    public static final class LoadFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoadFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads a normalized bundle tar to its end and returns the hash databases as one set.
     *
     * @param bundle         the bundle object's bytes (not closed)
     * @param expectedSha256 the recorded hex SHA-256 of the object
     * @param expectedSize   the recorded size of the object
     */
    public static SignatureSet load(InputStream bundle, String expectedSha256, long expectedSize)
            throws LoadFailure {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Bounded counted = new Bounded(new DigestInputStream(bundle, sha256), expectedSize);
        // .cvd signatures were verified when the bundle was published; these bytes are bound to it by the SHA-256
        SignatureSetBuilder builder = SignatureSet.builder(LoadOptions.strictOptions().withoutSignatureCheck());
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(counted, "UTF-8");
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                String extension = extension(name);
                boolean hashes = extension.equals("hdb") || extension.equals("hsb");
                boolean container = extension.equals("cvd") || extension.equals("cld");
                if (!entry.isFile() || !hashes && !container) {
                    continue; // skipped by the next getNextEntry
                }
                byte[] content = read(tar, entry);
                if (hashes) {
                    builder.load(name, content);
                } else {
                    loadContainerHashes(name, content, builder);
                }
            }
            counted.transferTo(java.io.OutputStream.nullOutputStream()); // the tar's end padding is part of the digest
        } catch (IOException | IllegalArgumentException e) {
            throw new LoadFailure("bundle object unreadable: " + e.getMessage(), e);
        } catch (SignatureLoadException e) {
            throw new LoadFailure("bundle object does not load: " + e.getMessage(), e);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (counted.count() != expectedSize || !actual.equals(expectedSha256)) {
            throw new LoadFailure("bundle object is " + counted.count() + " bytes with SHA-256 " + actual
                    + ", recorded " + expectedSize + " bytes with SHA-256 " + expectedSha256, null);
        }
        return builder.build();
    }

    /** The .hdb/.hsb members of a ClamAV container: 512-byte header, then a tar, gzip'd or not. */
    private static void loadContainerHashes(String container, byte[] content, SignatureSetBuilder builder)
            throws IOException, SignatureLoadException {
        if (content.length < CONTAINER_HEADER) {
            throw new SignatureLoadException(container, 0, "truncated container");
        }
        InputStream in = new ByteArrayInputStream(content, CONTAINER_HEADER, content.length - CONTAINER_HEADER);
        if (content.length > CONTAINER_HEADER + 1 && (content[CONTAINER_HEADER] & 0xff) == 0x1f
                && (content[CONTAINER_HEADER + 1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        TarArchiveEntry member;
        while ((member = tar.getNextEntry()) != null) {
            String extension = extension(member.getName());
            if (member.isFile() && (extension.equals("hdb") || extension.equals("hsb"))) {
                builder.load(container + "/" + member.getName(), read(tar, member));
            }
        }
    }

    private static byte[] read(TarArchiveInputStream tar, TarArchiveEntry entry) throws IOException {
        long size = entry.getSize();
        if (size > MAX_FILE_BYTES) {
            throw new IOException("entry " + entry.getName() + " of " + size + " bytes is too large");
        }
        byte[] content = tar.readNBytes((int) size);
        if (content.length != size) {
            throw new IOException("truncated entry " + entry.getName());
        }
        return content;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Counts bytes and refuses to read more than one byte past the expected size. */
    private static final class Bounded extends FilterInputStream {
        private final long expected;
        private long count;

        Bounded(InputStream in, long expected) {
            super(in);
            this.expected = expected;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, (int) Math.min(len, Math.max(1, expected + 1 - count)));
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // read instead of skip, so the digest sees every byte
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > expected) {
                throw new IOException("object is longer than the recorded " + expected + " bytes");
            }
        }
    }
}
