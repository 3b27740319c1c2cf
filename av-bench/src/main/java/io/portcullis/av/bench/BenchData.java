package io.portcullis.av.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic generator of the benchmark data: a ClamAV database ({@code db/bench.hdb}, {@code bench.hsb},
 * {@code bench.ndb}) and a mixed file set ({@code files/}: mail messages and binaries) with a few planted detections
 * listed in {@code planted.tsv} ({@code file<TAB>signature}). The same seed and size always give the same bytes.
 */
public final class BenchData {
    /** Bump when the generated shapes change, so stale data directories are regenerated. */
    static final String FORMAT = "bench-data-v3";

    static final String[] FAMILIES = {
        "Win.Trojan.Agent", "Win.Trojan.Zbot", "Win.Trojan.Emotet", "Win.Worm.Allaple", "Win.Worm.Mydoom",
        "Email.Worm.Netsky", "Email.Trojan.Phish", "PUA.Win.Adware.Browsefox", "PUA.Win.Adware.Opencandy",
        "PUA.Win.Tool.Netcat", "Win.Spyware.Keylogger", "Win.Dialer.Generic", "Doc.Downloader.Emotet",
        "Html.Exploit.CVE_2014_6332", "Js.Trojan.Nemucod", "Unix.Trojan.Mirai", "Win.Virus.Sality",
        "Win.Ransomware.Locky", "Win.Packed.Generic", "Xls.Dropper.Agent"
    };

    private static final String[] ASCII_WORDS = {
        "CreateObject(\"WScript.Shell\")", "powershell -nop -w hidden -enc ", "GetProcAddress", "VirtualAlloc",
        "document.write(unescape(", "eval(function(p,a,c,k,e,d)", "cmd.exe /c start ", "URLDownloadToFileA",
        "ActiveXObject(\"MSXML2.XMLHTTP\")", "Shell.Application", "RegSetValueExA", "WinExec", "LoadLibraryA",
        "<iframe src=\"http://", "Auto_Open", "Chr(Asc(Mid(", "fromCharCode(", "HKEY_LOCAL_MACHINE\\Software\\",
        "InternetOpenUrlA", "\\system32\\drivers\\"
    };

    private static final String[] TEXT_WORDS = (
        "the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
        + "you were her all she there would their we him been has when who will more no if out so said what up its "
        + "about into than them can only other new some could time these two may then do first any my now such like "
        + "our over man me even most made after also did many before must through back years where much your way well "
        + "invoice payment attached please find order shipment account meeting report quarter review update schedule "
        + "regards thanks customer service delivery confirm request contract budget project team").split(" ");

    private BenchData() {
    }

    /** One planted detection: the file and the signature that must be reported for it. */
    public record Planted(String file, String signature) {
    }

    /** What {@link #generate} wrote. */
    public record Generated(Path dbDir, Path filesDir, List<Path> files, long totalBytes, List<Planted> planted) {
    }

    /** A generated body signature: its ndb line and enough structure to plant a concrete instance. */
    record BodySig(String name, int target, String offset, List<Object> elems) {
        /** elems: byte[] fixed run, Integer -1 for ??, int[]{min,max} gap (max -1 = '*'), byte[][] alternatives. */
        String hex() {
            StringBuilder b = new StringBuilder();
            HexFormat hf = HexFormat.of();
            for (Object e : elems) {
                if (e instanceof byte[] run) b.append(hf.formatHex(run));
                else if (e instanceof Integer) b.append("??");
                else if (e instanceof int[] g) b.append(g[1] < 0 ? "*" : "{" + g[0] + "-" + g[1] + "}");
                else {
                    byte[][] alts = (byte[][]) e;
                    b.append('(');
                    for (int i = 0; i < alts.length; i++) b.append(i > 0 ? "|" : "").append(hf.formatHex(alts[i]));
                    b.append(')');
                }
            }
            return b.toString();
        }

        String line() { return name + ":" + target + ":" + offset + ":" + hex(); }

        /** A concrete byte string matching this signature. */
        byte[] instance(SplittableRandom r) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (Object e : elems) {
                if (e instanceof byte[] run) out.writeBytes(run);
                else if (e instanceof Integer) out.write(r.nextInt(256));
                else if (e instanceof int[] g) {
                    int n = g[1] < 0 ? g[0] + r.nextInt(200) : g[0] + r.nextInt(g[1] - g[0] + 1);
                    for (int i = 0; i < n; i++) out.write('.');
                } else {
                    byte[][] alts = (byte[][]) e;
                    out.writeBytes(alts[r.nextInt(alts.length)]);
                }
            }
            return out.toByteArray();
        }
    }

    /** True when {@code dir} already holds data generated with this seed, size and format. */
    static boolean upToDate(Path dir, long seed, long totalBytes) {
        try {
            Path marker = dir.resolve("generated.txt");
            return Files.exists(marker) && Files.readString(marker).equals(marker(seed, totalBytes));
        } catch (IOException e) {
            return false;
        }
    }

    private static String marker(long seed, long totalBytes) {
        return FORMAT + " seed=" + seed + " bytes=" + totalBytes + "\n";
    }

    /** Loads the description of data generated earlier by {@link #generate}. */
    public static Generated read(Path dir) throws IOException {
        Path files = dir.resolve("files");
        List<Path> list;
        try (var s = Files.list(files)) {
            list = s.sorted().toList();
        }
        long total = 0;
        for (Path p : list) total += Files.size(p);
        List<Planted> planted = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("planted.tsv"))) {
            if (l.isBlank()) continue;
            String[] f = l.split("\t");
            planted.add(new Planted(f[0], f[1]));
        }
        return new Generated(dir.resolve("db"), files, list, total, planted);
    }

    /**
     * Writes the database and the file set under {@code dir} (replacing what is there), deterministic for a seed.
     *
     * @param hashSignatures total .hdb + .hsb signatures (90 % MD5, 10 % SHA-256)
     * @param bodySignatures .ndb signatures
     */
    public static Generated generate(Path dir, long seed, long totalBytes, int hashSignatures, int bodySignatures) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Path db = dir.resolve("db");
        Path files = dir.resolve("files");
        deleteTree(dir);
        Files.createDirectories(db);
        Files.createDirectories(files);

        List<BodySig> bodies = new ArrayList<>(bodySignatures);
        for (int i = 0; i < bodySignatures; i++) bodies.add(bodySignature(r, i));

        // The file set: about half the bytes mail, half binaries.
        Map<String, byte[]> content = new LinkedHashMap<>();
        long written = 0;
        int n = 0;
        while (written < totalBytes) {
            boolean mail = r.nextInt(100) < 60;
            byte[] b = mail ? mail(r, n) : binary(r);
            String name = String.format("%05d.%s", n++, mail ? "eml" : "bin");
            content.put(name, b);
            written += b.length;
        }
        List<String> names = new ArrayList<>(content.keySet());
        List<Planted> planted = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();

        // Plant body signatures of every shape (target 0 only: clamd applies type 1 to PE files only).
        int plantedBodies = 0;
        for (int i = 0; i < bodies.size() && plantedBodies < 40; i += 97) {
            BodySig s = bodies.get(i);
            if (s.target != 0) continue;
            boolean ascii = isAscii(s);
            String file = pick(r, names, used, ascii && !s.offset.equals("0") ? ".eml" : ".bin");
            if (file == null) continue;
            byte[] data = content.get(file);
            byte[] inst = s.instance(r);
            int pos;
            if (s.offset.equals("0")) pos = 0;
            else if (s.offset.startsWith("EOF-")) pos = data.length - Integer.parseInt(s.offset.substring(4));
            else if (file.endsWith(".eml")) pos = bodyStart(data) + r.nextInt(Math.max(1, Math.min(2000, data.length - bodyStart(data) - inst.length)));
            else pos = r.nextInt(data.length - inst.length);
            if (pos < 0 || pos + inst.length > data.length) continue;
            System.arraycopy(inst, 0, data, pos, inst.length);
            planted.add(new Planted(file, s.name));
            plantedBodies++;
        }

        // Hash signatures: random ones, plus planted ones for some binaries (exact size, and one with size '*').
        StringBuilder hdb = new StringBuilder();
        StringBuilder hsb = new StringBuilder();
        int md5Count = hashSignatures * 9 / 10;
        byte[] h = new byte[32];
        for (int i = 0; i < hashSignatures; i++) {
            boolean md5 = i < md5Count;
            for (int k = 0; k < (md5 ? 16 : 32); k++) h[k] = (byte) r.nextInt(256);
            long size = 1024 + (long) (Math.pow(r.nextDouble(), 2) * 5_000_000);
            String name = FAMILIES[r.nextInt(FAMILIES.length)] + "-" + (7_000_000 + i) + "-0";
            String hex = HexFormat.of().formatHex(h, 0, md5 ? 16 : 32);
            if (md5) hdb.append(hex).append(':').append(size).append(':').append(name).append('\n');
            else hsb.append(hex).append(':').append(size).append(':').append(name).append('\n');
        }
        for (int i = 0; i < 16; i++) {
            String file = pick(r, names, used, ".bin");
            if (file == null) break;
            byte[] data = content.get(file);
            String name = FAMILIES[r.nextInt(FAMILIES.length)] + "-" + (8_000_000 + i) + "-0";
            if (i < 10) {
                hdb.append(digest("MD5", data)).append(':').append(data.length).append(':').append(name).append('\n');
            } else if (i < 15) {
                hsb.append(digest("SHA-256", data)).append(':').append(data.length).append(':').append(name).append('\n');
            } else {
                // size wildcard: needs functionality level 73 in ClamAV
                hsb.append(digest("SHA-256", data)).append(":*:").append(name).append(":73\n");
            }
            planted.add(new Planted(file, name));
        }
        StringBuilder ndb = new StringBuilder();
        for (BodySig s : bodies) ndb.append(s.line()).append('\n');
        Files.writeString(db.resolve("bench.hdb"), hdb, StandardCharsets.ISO_8859_1);
        Files.writeString(db.resolve("bench.hsb"), hsb, StandardCharsets.ISO_8859_1);
        Files.writeString(db.resolve("bench.ndb"), ndb, StandardCharsets.ISO_8859_1);
        List<Path> paths = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : content.entrySet()) {
            Path p = files.resolve(e.getKey());
            Files.write(p, e.getValue());
            paths.add(p);
        }
        StringBuilder tsv = new StringBuilder();
        for (Planted p : planted) tsv.append(p.file).append('\t').append(p.signature).append('\n');
        Files.writeString(dir.resolve("planted.tsv"), tsv);
        Files.writeString(dir.resolve("generated.txt"), marker(seed, totalBytes));
        return new Generated(db, files, paths, written, planted);
    }

    private static boolean isAscii(BodySig s) {
        for (Object e : s.elems) {
            if (!(e instanceof byte[] run)) return false;
            for (byte b : run) if (b < 0x20 || b > 0x7e) return false;
        }
        return true;
    }

    private static String pick(SplittableRandom r, List<String> names, java.util.Set<String> used, String ext) {
        for (int attempt = 0; attempt < 100 * names.size(); attempt++) {
            String n = names.get(r.nextInt(names.size()));
            if (n.endsWith(ext) && used.add(n)) return n;
        }
        return null; // small sets: every file of that kind already has a planted detection
    }

    private static int bodyStart(byte[] mail) {
        for (int i = 0; i + 3 < mail.length; i++) {
            if (mail[i] == '\r' && mail[i + 1] == '\n' && mail[i + 2] == '\r' && mail[i + 3] == '\n') return i + 4;
        }
        return 0;
    }

    static BodySig bodySignature(SplittableRandom r, int i) {
        String name = FAMILIES[r.nextInt(FAMILIES.length)] + "-" + (6_000_000 + i) + "-0";
        int target = r.nextInt(100) < 85 ? 0 : 1;
        int shape = r.nextInt(100);
        boolean ascii = r.nextInt(100) < 30;
        int len = 16 + r.nextInt(49);
        byte[] body = ascii ? asciiBytes(r, len) : randomBytes(r, len);
        List<Object> elems = new ArrayList<>();
        if (shape < 68) {
            elems.add(body);
        } else if (shape < 78) {
            // one to three ?? inside, fixed runs of 4+ bytes around them
            int holes = 1 + r.nextInt(3);
            int at = 0;
            for (int k = 0; k < holes; k++) {
                int next = Math.min(len - 4, at + 4 + r.nextInt(8));
                if (next <= at) break;
                elems.add(java.util.Arrays.copyOfRange(body, at, next));
                elems.add(-1);
                at = next + 1;
            }
            elems.add(java.util.Arrays.copyOfRange(body, at, len));
        } else if (shape < 86) {
            int cut = 8 + r.nextInt(len - 15);
            int min = r.nextInt(9);
            elems.add(java.util.Arrays.copyOfRange(body, 0, cut));
            elems.add(new int[] {min, min + r.nextInt(33)});
            elems.add(java.util.Arrays.copyOfRange(body, cut, len));
        } else if (shape < 92) {
            int cut = 8 + r.nextInt(len - 15);
            elems.add(java.util.Arrays.copyOfRange(body, 0, cut));
            elems.add(new int[] {0, -1});
            elems.add(java.util.Arrays.copyOfRange(body, cut, len));
        } else {
            int cut = 8 + r.nextInt(len - 15);
            int w = 1 + r.nextInt(2);
            byte[][] alts = new byte[2 + r.nextInt(2)][];
            for (int k = 0; k < alts.length; k++) alts[k] = ascii ? asciiBytes(r, w) : randomBytes(r, w);
            elems.add(java.util.Arrays.copyOfRange(body, 0, cut));
            elems.add(alts);
            elems.add(java.util.Arrays.copyOfRange(body, cut, len));
        }
        int o = r.nextInt(100);
        String offset = o < 88 ? "*" : o < 94 ? "0" : "EOF-" + (200 + r.nextInt(4000));
        return new BodySig(name, target, offset, elems);
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    private static byte[] asciiBytes(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder();
        while (s.length() < n) {
            s.append(ASCII_WORDS[r.nextInt(ASCII_WORDS.length)]);
            s.append(Integer.toHexString(r.nextInt()));
        }
        return s.substring(0, n).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String words(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder();
        int col = 0;
        for (int i = 0; i < n; i++) {
            String w = TEXT_WORDS[r.nextInt(TEXT_WORDS.length)];
            s.append(w);
            col += w.length() + 1;
            if (col > 70) {
                s.append("\r\n");
                col = 0;
            } else {
                s.append(' ');
            }
        }
        return s.toString();
    }

    /** A multipart mail: text, html and zero to three base64 attachments. */
    static byte[] mail(SplittableRandom r, int n) {
        String boundary = "----=_Part_" + n + "_" + Long.toHexString(r.nextLong());
        StringBuilder m = new StringBuilder();
        m.append("Received: from mx").append(r.nextInt(100)).append(".example.net (mx.example.net [192.0.2.")
            .append(r.nextInt(255)).append("])\r\n\tby gateway.example.com with ESMTPS id ").append(Long.toHexString(r.nextLong()))
            .append("\r\n\tfor <user").append(r.nextInt(1000)).append("@example.com>; Mon, 3 Mar 2025 10:11:12 +0000\r\n");
        m.append("From: \"Sender ").append(n).append("\" <sender").append(n).append("@example.org>\r\n");
        m.append("To: user").append(r.nextInt(1000)).append("@example.com\r\n");
        m.append("Subject: ").append(words(r, 6).replace("\r\n", " ")).append("\r\n");
        m.append("Date: Mon, 3 Mar 2025 10:11:12 +0000\r\nMessage-ID: <").append(Long.toHexString(r.nextLong()))
            .append("@example.org>\r\nMIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("This is a multi-part message in MIME format.\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        m.append(words(r, 50 + r.nextInt(800))).append("\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>");
        int paras = 1 + r.nextInt(20);
        for (int i = 0; i < paras; i++) {
            m.append("<p style=\"font-family:Arial\">").append(words(r, 20 + r.nextInt(80)))
                .append(" <a href=\"https://www.example.com/p/").append(r.nextInt(100000)).append("\">link</a></p>\r\n");
        }
        m.append("</body></html>\r\n\r\n");
        int attachments = r.nextInt(100) < 60 ? 0 : 1 + r.nextInt(3);
        for (int a = 0; a < attachments; a++) {
            byte[] att = binary(r, logUniform(r, 1024, 2_000_000));
            String fname = "document" + a + (r.nextBoolean() ? ".pdf" : ".docx");
            m.append("--").append(boundary).append("\r\nContent-Type: application/octet-stream; name=\"").append(fname)
                .append("\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"")
                .append(fname).append("\"\r\n\r\n");
            m.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(att)).append("\r\n\r\n");
        }
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] binary(SplittableRandom r) {
        return binary(r, logUniform(r, 1024, 5_000_000));
    }

    /** Sizes spread evenly over orders of magnitude (as many 1-10 KB files as 100 KB-1 MB ones). */
    static int logUniform(SplittableRandom r, int min, int max) {
        return (int) Math.round(Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max) - Math.log(min))));
    }

    /** Random bytes with low-entropy regions (zero padding, repeated strings, small integers) like real binaries. */
    static byte[] binary(SplittableRandom r, int size) {
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int run = Math.min(size - i, 256 + r.nextInt(16384));
            int kind = r.nextInt(10);
            if (kind < 6) {
                for (int k = 0; k < run; k++) b[i + k] = (byte) r.nextInt(256);
            } else if (kind < 8) {
                // zeros: leave as is
            } else if (kind < 9) {
                byte[] s = TEXT_WORDS[r.nextInt(TEXT_WORDS.length)].getBytes(StandardCharsets.ISO_8859_1);
                for (int k = 0; k < run; k++) b[i + k] = s[k % s.length];
            } else {
                for (int k = 0; k < run; k++) b[i + k] = (byte) (r.nextInt(16) == 0 ? r.nextInt(256) : r.nextInt(8));
            }
            i += run;
        }
        return b;
    }

    static String digest(String alg, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
