package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.HeaderField;
import io.portcullis.contracts.events.Modifications;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderRewriterTest {

    private static byte[] rewrite(byte[] original, Modifications mods) throws IOException {
        OutgoingMessage out = HeaderRewriter.rewrite(new ByteArrayInputStream(original), original.length, mods, "Q123");
        byte[] bytes = out.stream().readAllBytes();
        assertEquals(bytes.length, out.size(), "announced size matches the bytes");
        return bytes;
    }

    private static String rewrite(String original, Modifications mods) throws IOException {
        return new String(rewrite(original.getBytes(StandardCharsets.UTF_8), mods), StandardCharsets.UTF_8);
    }

    private static Modifications prefix(String p) {
        return new Modifications(p, List.of());
    }

    @Test
    void alwaysPrependsTheQueueIdAndLeavesTheRestUntouched() throws IOException {
        String original = "Subject: hi\r\n\r\nbody\r\n";
        assertEquals("X-Portcullis-Queue-Id: Q123\r\n" + original, rewrite(original, Modifications.NONE));
    }

    @Test
    void prefixesASimpleSubject() throws IOException {
        String out = rewrite("From: a@b\r\nSubject: hello\r\n\r\nbody\r\n", prefix("[SPAM]"));
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nFrom: a@b\r\nSubject: [SPAM] hello\r\n\r\nbody\r\n", out);
    }

    @Test
    void prefixesAFoldedSubjectKeepingItsFolding() throws IOException {
        String original = "From: a@b\r\nSubject: a long\r\n\tsubject folded\r\n over lines\r\nTo: c@d\r\n\r\nbody\r\n";
        String out = rewrite(original, prefix("[SPAM]"));
        assertTrue(out.contains("\r\nSubject: [SPAM] a long\r\n\tsubject folded\r\n over lines\r\nTo: c@d\r\n"), out);
    }

    @Test
    void prefixesASubjectWhoseValueStartsOnTheContinuationLine() throws IOException {
        String out = rewrite("SUBJECT :\r\n hello\r\n\r\nb\r\n", prefix("[SPAM]"));
        assertTrue(out.endsWith("SUBJECT : [SPAM]\r\n hello\r\n\r\nb\r\n"), out);
    }

    @Test
    void doesNotTakeAFieldThatOnlyStartsLikeSubject() throws IOException {
        String out = rewrite("Subjects: not it\r\nSubject: it\r\n\r\n", prefix("[X]"));
        assertTrue(out.contains("Subjects: not it\r\nSubject: [X] it\r\n"), out);
    }

    @Test
    void addsASubjectWhenThereIsNone() throws IOException {
        String out = rewrite("From: a@b\r\n\r\nbody\r\n", prefix("[SPAM]"));
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nSubject: [SPAM]\r\nFrom: a@b\r\n\r\nbody\r\n", out);
    }

    @Test
    void doesNotPrefixTwice() throws IOException {
        String out = rewrite("Subject: [SPAM] hello\r\n\r\n", prefix("[SPAM]"));
        assertTrue(out.contains("Subject: [SPAM] hello\r\n") && !out.contains("[SPAM] [SPAM]"), out);
    }

    @Test
    void encodesANonAsciiPrefixAsRfc2047() throws IOException {
        String out = rewrite("Subject: hello\r\n\r\nbody\r\n", prefix("[ÜBERPRÜFT]"));
        String encoded = "=?UTF-8?B?" + Base64.getEncoder().encodeToString("[ÜBERPRÜFT]".getBytes(StandardCharsets.UTF_8))
                + "?=";
        assertTrue(out.contains("\r\nSubject: " + encoded + " hello\r\n"), out);
        assertTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(out), "header stays ASCII");
    }

    @Test
    void keepsTheSpaceInsideTheEncodingBeforeAnEncodedSubject() throws IOException {
        String out = rewrite("Subject: =?ISO-8859-1?Q?caf=E9?=\r\n\r\n", prefix("[ÄRGER]"));
        String encoded = "=?UTF-8?B?" + Base64.getEncoder().encodeToString("[ÄRGER] ".getBytes(StandardCharsets.UTF_8))
                + "?=";
        assertTrue(out.contains("Subject: " + encoded + " =?ISO-8859-1?Q?caf=E9?=\r\n"), out);
    }

    @Test
    void splitsALongNonAsciiPrefixIntoShortEncodedWords() {
        String words = HeaderRewriter.encodedWords("ü".repeat(60));
        for (String line : words.split("\r\n")) {
            assertTrue(line.strip().length() <= 75, line);
        }
        StringBuilder decoded = new StringBuilder();
        for (String w : words.split("\r\n ")) {
            decoded.append(new String(Base64.getDecoder().decode(w.substring(10, w.length() - 2)), StandardCharsets.UTF_8));
        }
        assertEquals("ü".repeat(60), decoded.toString());
    }

    @Test
    void prependsAddedHeadersInOrderAfterTheQueueId() throws IOException {
        Modifications mods = new Modifications(null, List.of(new HeaderField("X-Spam-Flag", "YES"),
                new HeaderField("X-Spam-Score", "7.5")));
        String out = rewrite("Subject: s\r\n\r\nb\r\n", mods);
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nX-Spam-Flag: YES\r\nX-Spam-Score: 7.5\r\nSubject: s\r\n\r\nb\r\n", out);
    }

    @Test
    void neutralizesLineBreaksAndSkipsInvalidNamesInAddedHeaders() throws IOException {
        Modifications mods = new Modifications(null, List.of(new HeaderField("X-Evil", "a\r\nBcc: victim@example.com"),
                new HeaderField("Bad Name:", "x"), new HeaderField("X-Utf", "grün")));
        String out = rewrite("Subject: s\r\n\r\n", mods);
        assertTrue(out.contains("X-Evil: a Bcc: victim@example.com\r\n"), out);
        assertTrue(Arrays.stream(out.split("\r\n")).noneMatch(l -> l.startsWith("Bcc")), "no injected header line");
        assertTrue(!out.contains("Bad Name"), out);
        assertTrue(out.contains("X-Utf: =?UTF-8?B?" + Base64.getEncoder().encodeToString("grün".getBytes(StandardCharsets.UTF_8))
                + "?=\r\n"), out);
    }

    @Test
    void foldsLongAddedHeaderValues() throws IOException {
        String value = "word ".repeat(40).strip();
        String out = rewrite("Subject: s\r\n\r\n", new Modifications(null, List.of(new HeaderField("X-Long", value))));
        for (String line : out.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
        }
        assertTrue(out.replace("\r\n ", " ").contains("X-Long: " + value + "\r\n"));
    }

    @Test
    void bodyBytesAreUnchangedByteForByte() throws IOException {
        byte[] body = new byte[300_000];
        new Random(42).nextBytes(body);
        byte[] header = "From: a@b\r\nSubject: hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] original = new byte[header.length + body.length];
        System.arraycopy(header, 0, original, 0, header.length);
        System.arraycopy(body, 0, original, header.length, body.length);

        byte[] out = rewrite(original, new Modifications("[SPAM]", List.of(new HeaderField("X-A", "1"))));

        byte[] outBody = Arrays.copyOfRange(out, out.length - body.length, out.length);
        assertArrayEquals(body, outBody);
        String outHeader = new String(out, 0, out.length - body.length, StandardCharsets.US_ASCII);
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nX-A: 1\r\nFrom: a@b\r\nSubject: [SPAM] hello\r\n\r\n", outHeader);
    }

    @Test
    void handlesAMessageWithoutABody() throws IOException {
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nFrom: a@b\r\nSubject: [T] x\r\n",
                rewrite("From: a@b\r\nSubject: x\r\n", prefix("[T]")));
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nSubject: [T]\r\nFrom: a@b",
                rewrite("From: a@b", prefix("[T]")));
    }

    @Test
    void handlesBareLineFeedHeaders() throws IOException {
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nSubject: [T] x\nFrom: a\n\nbody\n",
                rewrite("Subject: x\nFrom: a\n\nbody\n", prefix("[T]")));
    }

    @Test
    void doesNotLookForTheSubjectInTheBody() throws IOException {
        String out = rewrite("From: a@b\r\n\r\nSubject: not a header\r\n", prefix("[T]"));
        assertEquals("X-Portcullis-Queue-Id: Q123\r\nSubject: [T]\r\nFrom: a@b\r\n\r\nSubject: not a header\r\n", out);
    }

    @Test
    void oversizedHeaderBlockIsRelayedWithoutThePrefix() throws IOException {
        String huge = "X-Filler: " + "a".repeat(HeaderRewriter.MAX_HEADER_BYTES) + "\r\nSubject: s\r\n\r\nbody\r\n";
        String out = rewrite(huge, prefix("[T]"));
        assertEquals("X-Portcullis-Queue-Id: Q123\r\n" + huge, out);
    }
}
