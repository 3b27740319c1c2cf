package io.portcullis.av;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * {@code .cvd}/{@code .cld}: a 512-byte text header, then a tar archive (gzip'd when it starts with 1f 8b, always so for
 * .cvd) of database files. For .cvd the header MD5 of the archive and (unless {@link LoadOptions#verifySignatures()}
 * is off) ClamAV's digital signature over it are checked ({@link CvdSignature}). A .cld (a .cvd updated in place by
 * incremental diffs) has no signature over its current content, so only its tar structure is checked, as in ClamAV. Members .hdb/.hsb/.ndb are loaded; any other member is reported as not yet supported.
 */
final class CvdLoader {
    static final int HEADER = 512;

    CvdHeader load(String database, byte[] data, SignatureSetBuilder sink, LoadOptions options, LoadReport report)
            throws SignatureLoadException {
        if (data.length < HEADER) throw new SignatureLoadException(database, 0, "truncated container: " + data.length + " bytes, header needs 512");
        CvdHeader header = parseHeader(database, new String(data, 0, HEADER, StandardCharsets.ISO_8859_1));
        if (database.endsWith(".cvd")) {
            String actual = md5Hex(data, HEADER, data.length - HEADER);
            if (!actual.equalsIgnoreCase(header.md5())) {
                throw new SignatureLoadException(database, 0, "corrupt or truncated container: archive MD5 " + actual + " does not match header " + header.md5());
            }
            if (options.verifySignatures() && !sink.cvdKey.verify(actual, header.digitalSignature())) {
                throw new SignatureLoadException(database, 0, "digital signature does not verify: not signed by ClamAV, or altered"
                    + " (LoadOptions.withoutSignatureCheck() accepts unsigned containers)");
            }
        }
        try {
            InputStream in = new ByteArrayInputStream(data, HEADER, data.length - HEADER);
            if (data.length > HEADER + 1 && (data[HEADER] & 0xFF) == 0x1f && (data[HEADER + 1] & 0xFF) == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            // A line of a vendor's container that this engine cannot parse is a feature it lacks, not an admin's typo:
            // such lines are collected in the report (LoadReport.errors) and the rest loads, even in strict mode.
            // The container itself (MD5, digital signature, tar structure) is checked strictly above.
            LoadOptions members = new LoadOptions(false, options.includeHashes(), options.verifySignatures(),
                options.functionalityLevel());
            TarReader.read(in, database, (name, content) -> {
                String member = database + "/" + name;
                sink.loadMember(member, content, members);
            });
        } catch (IOException e) {
            throw new SignatureLoadException(database, 0, "corrupt or truncated archive: " + e, e);
        }
        report.container(header);
        return header;
    }

    static CvdHeader parseHeader(String database, String text) throws SignatureLoadException {
        String t = text.replace('\0', ' ').trim();
        if (!t.startsWith("ClamAV-VDB:")) throw new SignatureLoadException(database, 0, "not a ClamAV container: header does not start with 'ClamAV-VDB:'");
        String[] f = t.split(":", -1);
        if (f.length < 8) throw new SignatureLoadException(database, 0, "bad container header: expected at least 8 ':'-separated fields, found " + f.length);
        try {
            long stime = f.length > 8 && !f[8].isBlank() ? Long.parseLong(f[8].trim()) : 0;
            return new CvdHeader(database, f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                f[5], f[6], f[7], stime);
        } catch (NumberFormatException e) {
            throw new SignatureLoadException(database, 0, "bad container header: non-numeric version, signature count, level or time");
        }
    }

    private static String md5Hex(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
