package io.portcullis.scanner.support;

import io.portcullis.contracts.events.SignatureBundleActivated;
import io.portcullis.scanner.signatures.BundleRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Signature bundles for tests: tars of database files (deterministic bytes), references and announcements. */
public final class Bundles {
    public static final String BUCKET = "portcullis-signatures";

    private Bundles() {
    }

    /** A tar of regular files, in the given order. */
    public static byte[] tar(Map<String, byte[]> files) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        files.forEach((name, content) -> entries.put(name, new Entry(TarConstants.LF_NORMAL, content, null)));
        return tarEntries(entries);
    }

    /** One tar entry of any type. */
    public record Entry(byte type, byte[] content, String linkName) {
        public static Entry file(String content) {
            return new Entry(TarConstants.LF_NORMAL, ascii(content), null);
        }
    }

    /** A tar with entries of any type (links, devices, directories). */
    public static byte[] tarEntries(Map<String, Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry spec = e.getValue();
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), spec.type());
                entry.setModTime(0); // the same files always make the same bytes (and SHA-256)
                if (spec.linkName() != null) {
                    entry.setLinkName(spec.linkName());
                }
                byte[] content = spec.type() == TarConstants.LF_NORMAL && spec.content() != null ? spec.content()
                        : new byte[0];
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A reference to {@code bytes} stored at {@code bundles/<version>.tar} in {@link #BUCKET}. */
    public static BundleRef ref(String version, byte[] bytes, String reason) {
        return new BundleRef(version, BUCKET, key(version), sha256(bytes), bytes.length, reason);
    }

    public static String key(String version) {
        return "bundles/" + version + ".tar";
    }

    public static SignatureBundleActivated event(String version, byte[] bytes, String reason) {
        return new SignatureBundleActivated("default", version, BUCKET, key(version), sha256(bytes), bytes.length,
                Instant.now(), reason);
    }

    /** An ndb line matching {@code marker} anywhere. */
    public static String ndb(String name, byte[] marker) {
        return name + ":0:*:" + HexFormat.of().formatHex(marker) + "\n";
    }

    /** An hdb line (MD5:size:name) for {@code content}. */
    public static String hdb(String name, byte[] content) {
        return hex("MD5", content) + ":" + content.length + ":" + name + "\n";
    }

    /** {@code n} deterministic random bytes. */
    public static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static String sha256(byte[] b) {
        return hex("SHA-256", b);
    }

    public static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
