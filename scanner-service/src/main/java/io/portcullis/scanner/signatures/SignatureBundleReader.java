package io.portcullis.scanner.signatures;

import io.portcullis.scanner.storage.BodyStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;

/**
 * Downloads a signature bundle (an uncompressed tar of top-level ClamAV database files) from object storage and
 * unpacks it in memory. The object is read once, as a stream: its size and SHA-256 are checked against the
 * {@link BundleRef} before any file is handed out, and no file of a bundle that fails any check is ever used.
 *
 * <p>Entry names are data: they must be flat file names ({@code [A-Za-z0-9][A-Za-z0-9._+-]*}, at most 128
 * characters, no {@code ..}); nothing is ever written to disk. Accepted: regular files (a leading {@code ./} is
 * dropped) and the {@code ./} directory entry itself. Refused (the whole bundle): path separators, links, devices,
 * sub-directories, sparse files, duplicate names, more than {@link #MAX_FILES} entries, a truncated archive, and a
 * bundle without any database file. Regular files with another extension are skipped and reported.
 */
public final class SignatureBundleReader {
    /** Most entries a bundle may hold. */
    public static final int MAX_FILES = 1000;
    /** Extensions of the database files loaded from a bundle. */
    public static final Set<String> EXTENSIONS = Set.of("hdb", "hsb", "mdb", "msb", "ndb", "ldb", "cvd",
            "cld");

    private static final Logger LOG = Logger.getLogger(SignatureBundleReader.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    private final BodyStore store;
    private final long maxBundleBytes;

    /**
     * @param store          object storage (same S3 settings as the spool)
     * @param maxBundleBytes largest bundle object accepted
     */
    public SignatureBundleReader(BodyStore store, long maxBundleBytes) {
        this.store = store;
        this.maxBundleBytes = maxBundleBytes;
    }

    /** What a bundle held: its database files in name order, and the names of the files that were skipped. */
    public record Contents(List<BundleFile> files, List<String> skipped) {
        public Contents {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Downloads, verifies and unpacks a bundle.
     *
     * @throws SignatureUpdateException for any problem: object storage errors, size or SHA-256 mismatch, a refused
     *                                  archive entry, a truncated or corrupt archive
     */
    public Contents read(BundleRef ref) throws SignatureUpdateException {
        if (ref.size() > maxBundleBytes) {
            throw new SignatureUpdateException("bundle " + ref.version() + " of " + ref.size()
                    + " bytes is larger than portcullis.scanner.signatures.updates.max-bundle-bytes (" + maxBundleBytes
                    + ")");
        }
        MessageDigest sha256 = sha256();
        List<BundleFile> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long total;
        try (InputStream object = store.open(ref.bucket(), ref.objectKey())) {
            VerifyingStream verifying = new VerifyingStream(object, ref.size(), sha256);
            unpack(ref, verifying, files, skipped);
            // the tar reader stops at the end-of-archive marker: the rest of the object must still be hashed
            verifying.transferTo(OutputStream.nullOutputStream());
            total = verifying.count();
        } catch (SizeExceeded e) {
            throw new SignatureUpdateException("bundle " + ref.version() + " is larger than its announced "
                    + ref.size() + " bytes");
        } catch (StorageFailure e) {
            throw new SignatureUpdateException("bundle " + ref.version() + " could not be read from "
                    + ref.location() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (BodyStore.ObjectMissingException e) {
            throw new SignatureUpdateException("bundle " + ref.version() + " not found at " + ref.location(), e);
        } catch (IOException e) {
            throw new SignatureUpdateException("bundle " + ref.version() + " could not be read from "
                    + ref.location() + ": " + e.getMessage(), e);
        }
        if (total != ref.size()) {
            throw new SignatureUpdateException("bundle " + ref.version() + " has " + total
                    + " bytes, announced " + ref.size());
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(ref.sha256())) {
            throw new SignatureUpdateException("bundle " + ref.version() + " SHA-256 mismatch: announced "
                    + ref.sha256() + ", object has " + actual);
        }
        if (files.isEmpty()) {
            throw new SignatureUpdateException("bundle " + ref.version() + " holds no signature database");
        }
        files.sort(Comparator.comparing(BundleFile::name));
        if (!skipped.isEmpty()) {
            LOG.warnf("bundle %s: skipped files that are not signature databases: %s", ref.version(), skipped);
        }
        return new Contents(files, skipped);
    }

    private static void unpack(BundleRef ref, InputStream in, List<BundleFile> files, List<String> skipped)
            throws IOException, SignatureUpdateException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        Set<String> names = new HashSet<>();
        int entries = 0;
        TarArchiveEntry entry;
        while ((entry = nextEntry(ref, tar)) != null) {
            if (++entries > MAX_FILES) {
                throw new SignatureUpdateException("bundle " + ref.version() + " has more than " + MAX_FILES
                        + " entries");
            }
            String raw = entry.getName();
            String name = raw.startsWith("./") ? raw.substring(2) : raw;
            if (entry.isDirectory()) {
                if (name.isEmpty() || name.equals("/") || raw.equals(".")) {
                    continue; // the "./" entry of `tar -C dir -cf bundle.tar .`
                }
                throw refused(ref, "sub-directory", raw);
            }
            if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                    || entry.isFIFO() || entry.isSparse() || !entry.isFile()) {
                throw refused(ref, "not a regular file", raw);
            }
            if (!NAME.matcher(name).matches() || name.contains("..")) {
                throw refused(ref, "invalid file name", raw);
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw refused(ref, "duplicate file name", raw);
            }
            long size = entry.getSize();
            if (size < 0 || size > ref.size()) {
                throw refused(ref, "invalid size " + size, raw);
            }
            byte[] content = content(ref, tar, name, (int) size);
            if (content.length != size) {
                throw new SignatureUpdateException("bundle " + ref.version() + " is truncated (in " + name + ")");
            }
            if (EXTENSIONS.contains(extension(name))) {
                files.add(new BundleFile(name, content));
            } else {
                skipped.add(name);
            }
        }
    }

    private static TarArchiveEntry nextEntry(BundleRef ref, TarArchiveInputStream tar)
            throws IOException, SignatureUpdateException {
        try {
            return tar.getNextEntry();
        } catch (SizeExceeded | StorageFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SignatureUpdateException("bundle " + ref.version() + " is not a valid tar archive: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] content(BundleRef ref, TarArchiveInputStream tar, String name, int size)
            throws IOException, SignatureUpdateException {
        try {
            return tar.readNBytes(size);
        } catch (SizeExceeded | StorageFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SignatureUpdateException("bundle " + ref.version() + " is truncated or corrupt (in " + name
                    + "): " + e.getMessage(), e);
        }
    }

    private static SignatureUpdateException refused(BundleRef ref, String why, String rawName) {
        return new SignatureUpdateException("bundle " + ref.version() + " refused: " + why + " '"
                + printable(rawName) + "'");
    }

    /** The name for an error message: control characters replaced, at most 100 characters. */
    static String printable(String name) {
        String p = name.replaceAll("\\p{Cntrl}", "?");
        return p.length() <= 100 ? p : p.substring(0, 100) + "...";
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown when the object is longer than announced (so a huge or endless object is never read to its end). */
    private static final class SizeExceeded extends IOException {
        SizeExceeded() {
            super("object larger than announced");
        }
    }

    /** Object storage failed while the bundle was being read (as opposed to a bad archive). */
    private static final class StorageFailure extends IOException {
        StorageFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Counts and hashes every byte read, and fails as soon as more than {@code limit} were read. Skipping reads too,
     * so that no byte escapes the digest.
     */
    private static final class VerifyingStream extends FilterInputStream {
        private final long limit;
        private final MessageDigest digest;
        private long count;

        VerifyingStream(InputStream in, long limit, MessageDigest digest) {
            super(in);
            this.limit = limit;
            this.digest = digest;
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw new StorageFailure(e);
            }
            if (b >= 0) {
                add(1);
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                throw new StorageFailure(e);
            }
            if (n > 0) {
                add(n);
                digest.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            byte[] buf = new byte[(int) Math.min(8192, n)];
            int r = read(buf, 0, buf.length);
            return Math.max(0, r);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void add(long n) throws SizeExceeded {
            count += n;
            if (count > limit) {
                throw new SizeExceeded();
            }
        }
    }
}
