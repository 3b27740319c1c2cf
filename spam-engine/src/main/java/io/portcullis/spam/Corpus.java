package io.portcullis.spam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The TRAIN split: a list file ({@code ham|spam<TAB>path}) and the corpus data directory it points into. */
public final class Corpus {

    /**
     * One training message.
     *
     * @param spam label
     * @param path path under the corpus data directory (also the fold key)
     * @param raw message bytes
     */
    public record Entry(boolean spam, String path, byte[] raw) {

        /** easy-ham, hard-ham or spam. */
        public String kind() {
            return spam ? "spam" : path.startsWith("hard-ham") ? "hard-ham" : "easy-ham";
        }

        /** Fold 0..k-1, from a hash of the path (stable across runs and machines). */
        public int fold(int k) {
            return (int) Long.remainderUnsigned(TokenHash.of(path), k);
        }
    }

    private Corpus() {
    }

    /** Reads exactly the files named in the list, nothing else. */
    public static List<Entry> load(Path listFile, Path dataDir) throws IOException {
        List<Entry> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", 2);
            if (f.length != 2 || !(f[0].equals("ham") || f[0].equals("spam")) || f[1].contains("..")) {
                throw new IOException(listFile + ":" + lineNo + ": expected 'ham|spam<TAB>path'");
            }
            Path p = dataDir.resolve(f[1]);
            if (!Files.isRegularFile(p)) {
                throw new IOException("missing corpus file " + p + " (run spam-engine/run.sh fetch)");
            }
            out.add(new Entry(f[0].equals("spam"), f[1], Files.readAllBytes(p)));
        }
        return out;
    }

    /** SHA-256 over labels, paths and contents, in list order. */
    public static String hash(List<Entry> entries) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Entry e : entries) {
                md.update((e.spam() ? "spam\t" : "ham\t").getBytes(StandardCharsets.UTF_8));
                md.update((e.path() + "\n").getBytes(StandardCharsets.UTF_8));
                md.update(e.raw());
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
