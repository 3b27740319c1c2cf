package io.portcullis.av.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's own clamd control and INSTREAM client, against the real clamd (skipped where it is not installed). */
class ClamdTest {
    @TempDir
    Path dir;

    @Test
    void instreamSessionReportsCleanAndFoundOverOneConnection() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(Clamd.BINARY)), "clamd not installed");
        Files.writeString(dir.resolve("t.ndb"), "Test.Sig-1:0:*:" + hex("portcullis-bench-marker") + "\n");
        try (Clamd clamd = Clamd.start(dir, true, 60_000)) {
            assertTrue(clamd.loadNanos > 0);
            assertTrue(clamd.rssBytes() > 1_000_000);
            try (Clamd.Session s = clamd.session()) {
                assertNull(s.instream("nothing to see".getBytes(StandardCharsets.US_ASCII)));
                byte[] big = new byte[200_000];
                byte[] m = "portcullis-bench-marker".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(m, 0, big, 150_000, m.length);
                assertEquals("Test.Sig-1", s.instream(big), "found across 64 KiB chunks, .UNOFFICIAL stripped");
                assertNull(s.instream(new byte[0]));
            }
            assertTrue(clamd.loadLog().contains("Loaded"), clamd.loadLog());
        }
    }

    private static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }
}
