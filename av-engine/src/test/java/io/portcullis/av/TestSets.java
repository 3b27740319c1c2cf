package io.portcullis.av;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

final class TestSets {
    /** The published EICAR test string (68 bytes). */
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private TestSets() {
    }

    static SignatureSet load(String name, String... lines) throws SignatureLoadException {
        return SignatureSet.builder(LoadOptions.strictOptions())
            .load(name, String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1)).build();
    }

    static SignatureSet ndb(String... lines) throws SignatureLoadException {
        return load("test.ndb", lines);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String hex(String s) {
        return hex(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String digest(String alg, byte[] data) throws Exception {
        return hex(MessageDigest.getInstance(alg).digest(data));
    }

    static List<String> names(List<Match> matches) {
        return matches.stream().map(Match::signature).toList();
    }
}
