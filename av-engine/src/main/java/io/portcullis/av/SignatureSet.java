package io.portcullis.av;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable, loaded set of signatures, safe to share between threads. Scan with {@link #newSession()} (one per
 * thread and object) or the convenience methods.
 */
public final class SignatureSet {
    final NameTable hashNames;
    final int[] hashDatabase;
    final String[] databases;
    final HashTable md5;
    final HashTable sha1;
    final HashTable sha256;
    final HashTable sectionMd5;
    final HashTable sectionSha1;
    final HashTable sectionSha256;
    /** Per target type 1..31: the body signatures (ndb and ldb subsignatures) of that type, or null. */
    final java.util.BitSet[] sigsWithTarget = new java.util.BitSet[32];
    /** Whether scans must look at the object's type and executable headers first ({@link ExeInfo}). */
    final boolean needsExeInfo;
    final BodySignature[] bodies;
    final LogicalSignature[] logicals;
    final Part[] parts;
    final int[] partSignature;
    final int[] partIndex;
    final AnchorIndex index;
    final int maxSpan;
    final ThreatCategory[] bodyCategory;
    private final LoadReport report;

    SignatureSet(SignatureSetBuilder b, LoadReport report) {
        this.report = report;
        this.hashNames = b.hashNames.trimmed();
        this.hashDatabase = java.util.Arrays.copyOf(b.hashDatabase, b.hashNames.size());
        this.databases = b.databases.toArray(new String[0]);
        this.md5 = b.md5.build();
        this.sha1 = b.sha1.build();
        this.sha256 = b.sha256.build();
        this.sectionMd5 = b.sectionMd5.build();
        this.sectionSha1 = b.sectionSha1.build();
        this.sectionSha256 = b.sectionSha256.build();
        this.bodies = b.bodies.toArray(new BodySignature[0]);
        this.logicals = b.logicals.toArray(new LogicalSignature[0]);
        this.bodyCategory = new ThreatCategory[bodies.length];
        List<Part> ps = new ArrayList<>();
        List<Integer> sig = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        int span = 0;
        boolean exe = sectionMd5.size() + sectionSha1.size() + sectionSha256.size() > 0;
        for (int s = 0; s < bodies.length; s++) {
            bodyCategory[s] = ThreatCategory.of(bodies[s].name());
            int t = bodies[s].target();
            if (t > 0 && t < 32) {
                if (sigsWithTarget[t] == null) sigsWithTarget[t] = new java.util.BitSet();
                sigsWithTarget[t].set(s);
                exe = true;
            }
            if (bodies[s].offset().executable()) exe = true;
            Part[] parts = bodies[s].pattern().parts;
            for (int k = 0; k < parts.length; k++) {
                ps.add(parts[k]);
                sig.add(s);
                idx.add(k);
                span = Math.max(span, parts[k].span());
            }
        }
        this.parts = ps.toArray(new Part[0]);
        this.partSignature = sig.stream().mapToInt(Integer::intValue).toArray();
        this.partIndex = idx.stream().mapToInt(Integer::intValue).toArray();
        this.index = AnchorIndex.build(this.parts);
        this.maxSpan = span;
        this.needsExeInfo = exe;
    }

    public static SignatureSetBuilder builder(LoadOptions options) {
        return new SignatureSetBuilder(options);
    }

    /** A new streaming scan; not thread-safe itself, but any number may run concurrently on this set. */
    public ScanSession newSession() {
        return new ScanSession(this, -1);
    }

    /**
     * A new streaming scan of an object whose size is known in advance: whole-file digests are then computed only
     * when some hash entry has that size (or size {@code *}). Feeding a different number of bytes is an error
     * ({@link IllegalStateException} from update or finish), since a skipped digest cannot be recovered.
     */
    public ScanSession newSession(long size) {
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        return new ScanSession(this, size);
    }

    /** Scans a whole buffer without copying it (see {@link ScanSession#scanAll}). */
    public List<Match> scan(byte[] data) {
        return newSession().scanAll(data);
    }

    /** Scans a stream to its end in 64 KiB chunks (the stream is not closed). */
    public List<Match> scan(InputStream in) throws IOException {
        ScanSession s = newSession();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) s.update(buf, 0, n);
        return s.finish();
    }

    /**
     * Looks up one whole-file digest (MD5 16 bytes, SHA-1 20, SHA-256 32) of an object of {@code size} bytes in the
     * hash databases, without scanning: for a central hash-reputation service answering Smart Scan clients.
     *
     * @return the matching signature (offset {@link Match#WHOLE_FILE}), or null when none matches
     * @throws IllegalArgumentException for a digest of another length
     */
    public Match lookupHash(byte[] digest, long size) {
        HashTable table = switch (digest.length) {
            case 16 -> md5;
            case 20 -> sha1;
            case 32 -> sha256;
            default -> throw new IllegalArgumentException("digest of " + digest.length + " bytes: not MD5, SHA-1 or SHA-256");
        };
        int id = table.lookup(digest, size);
        if (id < 0) return null;
        String name = hashNames.get(id);
        return new Match(name, ThreatCategory.of(name), databases[hashDatabase[id]], Match.WHOLE_FILE);
    }

    public LoadReport loadReport() { return report; }

    public SignatureStats stats() {
        long bytes = hashNames.approximateBytes() + 4L * hashDatabase.length + md5.approximateBytes()
            + sha1.approximateBytes() + sha256.approximateBytes() + sectionMd5.approximateBytes() + sectionSha1.approximateBytes()
            + sectionSha256.approximateBytes() + index.approximateBytes() + 12L * parts.length;
        for (Part p : parts) bytes += p.approximateBytes();
        for (BodySignature b : bodies) bytes += 96 + 2L * b.name().length() + 40;
        return new SignatureStats(report.signaturesByFormat(), md5.size(), sha1.size(), sha256.size(), bodies.length,
            logicals.length, parts.length, index.keys(), maxSpan, bytes);
    }
}
