package io.portcullis.policy.signatures;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureSetBuilder;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.TooLargeException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jboss.logging.Logger;

/**
 * Reads an uploaded bundle (a tar, or a gzip'd tar recognised by its magic bytes), checks every entry and writes the
 * normalized bundle: an uncompressed ustar of the same files, in the same order, with mode 0644, owner 0/0 and the
 * bundle's creation time. Nothing of the upload is trusted:
 * <ul>
 *   <li>only regular files; directories, symbolic and hard links, devices, FIFOs and sparse files are refused</li>
 *   <li>names are plain top-level file names {@code [A-Za-z0-9._-]{1,100}} with a database extension (.hdb .hsb
 *       .ndb .ldb .cvd .cld), unique ignoring case</li>
 *   <li>the upload and the uncompressed tar are each counted against the byte limit while they are read, so a
 *       declared size, a gzip bomb or a PAX header cannot make it read or allocate more (413)</li>
 *   <li>every file is loaded strictly by av-engine; the first bad line is a 400 {@code file:line: problem}</li>
 * </ul>
 * Memory: one database file at a time (it is loaded from a byte array), plus av-engine's tables for that file.
 */
public final class BundleParser {
    /** Database formats a bundle may contain. */
    public static final Set<String> EXTENSIONS = Set.of("hdb", "hsb", "mdb", "msb", "ndb", "ldb", "cvd",
            "cld");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,100}$");
    private static final Logger LOG = Logger.getLogger(BundleParser.class);
    /** A Java array holds a little less than 2 GiB. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

    /**
     * What a valid upload contained.
     *
     * @param files      database file names in tar order
     * @param signatures signatures av-engine loaded, per format ("hdb", "ndb", ...), summed over the files
     * @param size       size of the normalized tar in bytes
     * @param sha256     hex SHA-256 of the normalized tar
     */
    public record Result(List<String> files, Map<String, Integer> signatures, long size, String sha256) {
    }

    private final long maxBytes;
    private final int maxFiles;
    private final LoadOptions options;

    /** A parser that refuses {@code .cvd} containers whose ClamAV digital signature does not verify. */
    public BundleParser(long maxBytes, int maxFiles) {
        this(maxBytes, maxFiles, true);
    }

    /**
     * @param verifyCvdSignatures false only for tests with generated, unsigned {@code .cvd} containers: publication is
     *                            where a container's signature is checked (later loads check the bundle's SHA-256)
     */
    public BundleParser(long maxBytes, int maxFiles, boolean verifyCvdSignatures) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.options = verifyCvdSignatures ? LoadOptions.strictOptions()
                : LoadOptions.strictOptions().withoutSignatureCheck();
    }

    /**
     * Parses and checks {@code upload} and writes the normalized tar to {@code normalized} (not closed).
     *
     * @throws InvalidPolicyException 400: not a tar, corrupt or truncated, a refused entry, no file, a bad line
     * @throws TooLargeException      413: upload or uncompressed tar above the limit, too many files
     * @throws IOException            writing {@code normalized} failed
     */
    public Result parse(InputStream upload, OutputStream normalized, Instant createdAt) throws IOException {
        MessageDigest sha256 = sha256();
        CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(normalized, sha256));
        List<String> files = new ArrayList<>();
        Map<String, Integer> signatures = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        TarArchiveOutputStream out = new TarArchiveOutputStream(counted, "US-ASCII");
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_ERROR);

        TarArchiveInputStream tar = open(upload);
        while (true) {
            TarArchiveEntry entry = next(tar);
            if (entry == null) {
                break;
            }
            String name = entry.getName();
            checkEntry(entry, name);
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw invalid("entry " + quote(name) + " appears twice");
            }
            if (files.size() >= maxFiles) {
                throw new TooLargeException("body", "more than " + maxFiles + " database files");
            }
            long size = entry.getSize();
            if (size > MAX_FILE_BYTES || size > maxBytes - total) {
                throw new TooLargeException("body", "entry " + quote(name) + " declares " + size
                        + " bytes; the files of a bundle may hold at most " + maxBytes + " bytes");
            }
            byte[] content = read(tar, name, (int) size);
            total += size;
            load(name, content).forEach((format, n) -> signatures.merge(format, n, Integer::sum));
            write(out, name, content, createdAt);
            files.add(name);
        }
        if (files.isEmpty()) {
            throw invalid("the bundle contains no database file (.hdb .hsb .ndb .ldb .cvd .cld)");
        }
        out.finish();
        out.flush();
        return new Result(List.copyOf(files), signatures, counted.count(), HexFormat.of().formatHex(sha256.digest()));
    }

    private TarArchiveInputStream open(InputStream upload) {
        InputStream limited = new LimitedInputStream(upload, maxBytes, "the upload");
        BufferedInputStream buffered = new BufferedInputStream(limited, 1 << 16);
        InputStream tarBytes = buffered;
        try {
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                tarBytes = new GZIPInputStream(buffered, 1 << 16);
            }
        } catch (IOException e) {
            throw invalid("the upload could not be read: " + e.getMessage());
        }
        return new TarArchiveInputStream(new LimitedInputStream(tarBytes, maxBytes, "the uncompressed tar"),
                "UTF-8");
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            // commons-compress reports bad headers, bad PAX records and truncation as IOException (some as IAE)
            throw invalid("not a valid tar archive (or gzip'd tar): " + e.getMessage());
        }
    }

    private static void checkEntry(TarArchiveEntry entry, String name) {
        String kind = kind(entry);
        if (kind != null) {
            throw invalid("entry " + quote(name) + " is a " + kind + "; only regular files are allowed");
        }
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw invalid("entry " + quote(name)
                    + " is not a plain top-level file name ([A-Za-z0-9._-], at most 100 characters, no paths)");
        }
        String extension = extension(name);
        if (!EXTENSIONS.contains(extension)) {
            throw invalid("entry " + quote(name) + " is not a signature database (.hdb .hsb .ndb .ldb .cvd .cld)");
        }
    }

    /** Null for a regular file, else what the entry is. */
    private static String kind(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return "symbolic link";
        }
        if (entry.isLink()) {
            return "hard link";
        }
        if (entry.isDirectory()) {
            return "directory";
        }
        if (entry.isCharacterDevice()) {
            return "character device";
        }
        if (entry.isBlockDevice()) {
            return "block device";
        }
        if (entry.isFIFO()) {
            return "FIFO";
        }
        if (entry.isSparse()) {
            return "sparse file";
        }
        byte flag = entry.getLinkFlag();
        if (flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM) {
            return "tar entry of type '" + printable(String.valueOf((char) (flag & 0xff))) + "'";
        }
        return null;
    }

    private static byte[] read(TarArchiveInputStream tar, String name, int size) {
        try {
            byte[] content = tar.readNBytes(size);
            if (content.length != size) {
                throw invalid("truncated tar archive: entry " + quote(name) + " declares " + size + " bytes, "
                        + content.length + " follow");
            }
            return content;
        } catch (IOException e) {
            throw invalid("truncated or corrupt tar archive in entry " + quote(name) + ": " + e.getMessage());
        }
    }

    /** Loads one file strictly; returns its signatures per format. */
    private Map<String, Integer> load(String name, byte[] content) {
        SignatureSetBuilder builder = SignatureSet.builder(options);
        try {
            builder.load(name, content);
        } catch (SignatureLoadException e) {
            throw invalid(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "av-engine failed on %s", name);
            throw invalid(name + ": cannot be loaded (" + e.getClass().getSimpleName() + ")");
        }
        return builder.report().signaturesByFormat();
    }

    private static void write(TarArchiveOutputStream out, String name, byte[] content, Instant createdAt)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        entry.setSize(content.length);
        entry.setMode(0100644);
        entry.setModTime(createdAt.toEpochMilli());
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** An entry name for an error message: quoted, non-printable characters as '?', at most 120 characters. */
    static String quote(String name) {
        String shown = name.length() > 120 ? name.substring(0, 120) + "..." : name;
        return "'" + printable(shown) + "'";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return b.toString();
    }

    private static InvalidPolicyException invalid(String message) {
        return new InvalidPolicyException("body", message);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts bytes written through it. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
