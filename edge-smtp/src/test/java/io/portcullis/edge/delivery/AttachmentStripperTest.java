package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.api.Test;

class AttachmentStripperTest {

    static final String TEXT_PART = "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello, see the attachments.\r\n";
    static final String EXE_PART = "Content-Type: application/octet-stream; name=\"a.exe\"\r\n"
            + "Content-Disposition: attachment; filename=\"a.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n";
    static final String PDF_PART = "Content-Type: application/pdf; name=b.pdf\r\n"
            + "Content-Disposition: attachment; filename=b.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURlY29kZT4+\r\n";

    static byte[] threeParts() {
        return ("From: a@example.org\r\nTo: b@example.com\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "This is a preamble.\r\n--b1\r\n" + TEXT_PART + "--b1\r\n" + EXE_PART + "--b1\r\n" + PDF_PART
                + "--b1--\r\nepilogue\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static Message parse(byte[] bytes) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        return builder.parseMessage(new ByteArrayInputStream(bytes));
    }

    static String text(Entity e) throws IOException {
        try (Reader r = ((TextBody) e.getBody()).getReader()) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1024];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        }
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void removesExactlyTheNamedPartAndPutsTheDefaultNoticeNamingTheFileInItsPlace() throws IOException {
        byte[] original = threeParts();

        AttachmentStripper.Result r = AttachmentStripper.strip(original, List.of("part/2"), null);

        assertEquals(List.of("part/2"), r.removed());
        assertEquals(List.of("a.exe"), r.names());
        assertTrue(r.unmatched().isEmpty());
        Multipart mp = (Multipart) parse(r.message()).getBody();
        assertEquals(3, mp.getBodyParts().size());
        assertEquals("text/plain", mp.getBodyParts().get(1).getMimeType());
        assertNull(mp.getBodyParts().get(1).getFilename());
        assertTrue(text(mp.getBodyParts().get(1)).contains("a.exe"), text(mp.getBodyParts().get(1)));
        assertEquals("b.pdf", mp.getBodyParts().get(2).getFilename());
        // every byte but the removed part's range is unchanged
        String out = s(r.message());
        String in = s(original);
        int start = in.indexOf(EXE_PART);
        int end = start + EXE_PART.length() - 2; // the CRLF before the next delimiter belongs to it
        assertTrue(out.startsWith(in.substring(0, start)), "header, preamble and part 1 byte-identical");
        assertTrue(out.endsWith(in.substring(end)), "part 3, delimiters and epilogue byte-identical");
        assertTrue(out.contains(TEXT_PART) && out.contains(PDF_PART));
        assertTrue(!out.contains("TVqQ"), "the executable's content is gone");
    }

    @Test
    void anArchiveMembersPathRemovesThePartHoldingTheArchive() throws IOException {
        AttachmentStripper.Result r = AttachmentStripper.strip(threeParts(), List.of("part/3/zip:x/evil.exe"),
                "Removed by policy.");

        assertEquals(List.of("part/3/zip:x/evil.exe"), r.removed());
        Multipart mp = (Multipart) parse(r.message()).getBody();
        assertEquals("a.exe", mp.getBodyParts().get(1).getFilename());
        assertEquals("Removed by policy.", text(mp.getBodyParts().get(2)));
    }

    @Test
    void aPathThatNamesNoPartChangesNothing() {
        byte[] original = threeParts();
        AttachmentStripper.Result r = AttachmentStripper.strip(original,
                List.of("part/7", "part/2.1", "raw", "part/0", "part/x", "", "part/1.2.3/zip:a"), null);

        assertSame(original, r.message());
        assertTrue(r.removed().isEmpty());
        assertEquals(7, r.unmatched().size());
    }

    @Test
    void stripsInsideNestedMultipartsByImapNumber() throws IOException {
        byte[] msg = ("Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n"
                + "Content-Type: text/plain\r\n\r\nplain\r\n--inner\r\n" + EXE_PART + "--inner--\r\n"
                + "--outer\r\n" + PDF_PART + "--outer--\r\n").getBytes(StandardCharsets.US_ASCII);

        AttachmentStripper.Result r = AttachmentStripper.strip(msg, List.of("part/1.2"), null);

        assertEquals(List.of("part/1.2"), r.removed());
        Multipart outer = (Multipart) parse(r.message()).getBody();
        Multipart inner = (Multipart) outer.getBodyParts().get(0).getBody();
        assertEquals("plain", text(inner.getBodyParts().get(0)));
        assertTrue(text(inner.getBodyParts().get(1)).contains("a.exe"));
        assertEquals("b.pdf", outer.getBodyParts().get(1).getFilename());
    }

    @Test
    void theBodyOfAnAttachedSinglePartMessageRemovesTheAttachedMessage() throws IOException {
        byte[] msg = ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + TEXT_PART + "--b\r\n"
                + "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: application/zip; name=z.zip\r\n"
                + "\r\nPK...\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);

        AttachmentStripper.Result r = AttachmentStripper.strip(msg, List.of("part/2.1"), null);

        assertEquals(List.of("part/2.1"), r.removed());
        Multipart mp = (Multipart) parse(r.message()).getBody();
        assertEquals("text/plain", mp.getBodyParts().get(1).getMimeType());
        assertTrue(!s(r.message()).contains("PK..."));
    }

    @Test
    void aPartOfAnAttachedMultipartMessageIsFoundByItsNumber() throws IOException {
        byte[] msg = ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + TEXT_PART + "--b\r\n"
                + "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n"
                + "Content-Type: multipart/mixed; boundary=c\r\n\r\n--c\r\n" + TEXT_PART + "--c\r\n" + EXE_PART
                + "--c--\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII);

        AttachmentStripper.Result r = AttachmentStripper.strip(msg, List.of("part/2.2"), null);

        assertEquals(List.of("part/2.2"), r.removed());
        assertEquals(List.of("a.exe"), r.names());
        assertTrue(s(r.message()).contains("Subject: inner\r\n"), "the attached message stays");
        assertTrue(!s(r.message()).contains("TVqQ"));
    }

    @Test
    void aSinglePartMessageWhoseBodyIsStrippedKeepsItsHeaderAndGetsTheNotice() throws IOException {
        byte[] msg = ("From: a@example.org\r\nSubject: exe\r\nContent-Type: application/octet-stream;\r\n"
                + " name=\"a.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        AttachmentStripper.Result r = AttachmentStripper.strip(msg, List.of("part/1"), null);

        Message m = parse(r.message());
        assertEquals("exe", m.getSubject());
        assertEquals("text/plain", m.getMimeType());
        assertTrue(text(m).contains("a.exe"));
        assertTrue(!s(r.message()).contains("TVqQ") && !s(r.message()).contains("octet-stream"));
    }

    @Test
    void aNonAsciiNoticeIsBase64Utf8() throws IOException {
        AttachmentStripper.Result r = AttachmentStripper.strip(threeParts(), List.of("part/2"),
                "Anhang entfernt: Größe über der Grenze");

        Multipart mp = (Multipart) parse(r.message()).getBody();
        assertEquals("Anhang entfernt: Größe über der Grenze", text(mp.getBodyParts().get(1)));
        assertTrue(s(r.message()).chars().allMatch(c -> c < 128), "7-bit on the wire");
    }

    @Test
    void aMultipartWithoutBoundaryParameterOrWithoutItsBoundaryIsALeaf() {
        byte[] noParam = ("Content-Type: multipart/mixed\r\n\r\n--b1\r\n" + TEXT_PART + "--b1\r\n" + EXE_PART
                + "--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] absent = ("Content-Type: multipart/mixed; boundary=zz\r\n\r\n--b1\r\n" + TEXT_PART + "--b1\r\n"
                + EXE_PART + "--b1--\r\n").getBytes(StandardCharsets.US_ASCII);

        assertEquals(List.of("part/2"), AttachmentStripper.strip(noParam, List.of("part/2"), null).unmatched());
        assertEquals(List.of("part/2"), AttachmentStripper.strip(absent, List.of("part/2"), null).unmatched());
    }

    @Test
    void aMissingCloseDelimiterEndsTheLastPartAtTheEnd() throws IOException {
        byte[] msg = ("Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n" + TEXT_PART + "--b1\r\n"
                + EXE_PART).getBytes(StandardCharsets.US_ASCII);

        AttachmentStripper.Result r = AttachmentStripper.strip(msg, List.of("part/2"), null);

        assertEquals(List.of("part/2"), r.removed());
        assertTrue(!s(r.message()).contains("TVqQ"));
        assertTrue(s(r.message()).startsWith(s(msg).substring(0, s(msg).indexOf(EXE_PART))));
    }

    @Test
    void deeplyNestedMultipartsAreBoundedAndNeverThrow() {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
        int depth = 5000;
        for (int i = 1; i <= depth; i++) {
            sb.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i)
                    .append("\r\n\r\n");
        }
        byte[] msg = sb.toString().getBytes(StandardCharsets.US_ASCII);
        String deep = "part/" + "1.".repeat(60) + "1";

        AttachmentStripper.Result tooDeep = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> AttachmentStripper.strip(msg, List.of(deep), null));
        AttachmentStripper.Result within = AttachmentStripper.strip(msg, List.of("part/1.1.1"), null);

        assertEquals(List.of(deep), tooDeep.unmatched(), "deeper than the bound: not found");
        assertSame(msg, tooDeep.message());
        assertEquals(List.of("part/1.1.1"), within.removed(), "within the bound: found");
    }

    @Test
    void manyPartsAreBounded() {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < AttachmentStripper.MAX_PARTS + 10; i++) {
            sb.append("--b\r\n\r\nx\r\n");
        }
        sb.append("--b--\r\n");
        byte[] msg = sb.toString().getBytes(StandardCharsets.US_ASCII);

        AttachmentStripper.Result r = AttachmentStripper.strip(msg,
                List.of("part/2", "part/" + (AttachmentStripper.MAX_PARTS + 5)), null);

        assertEquals(List.of("part/2"), r.removed());
        assertEquals(1, r.unmatched().size());
    }

    @Test
    void lfOnlyMessagesKeepTheirLineEndings() throws IOException {
        byte[] crlf = threeParts();
        byte[] lf = s(crlf).replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);

        AttachmentStripper.Result r = AttachmentStripper.strip(lf, List.of("part/2"), null);

        assertTrue(!s(r.message()).contains("\r"));
        assertEquals(3, ((Multipart) parse(r.message()).getBody()).getBodyParts().size());
    }

    @Test
    void partNumbersFollowTheScannersPaths() {
        assertEquals("2", AttachmentStripper.partNumber("part/2"));
        assertEquals("2.1", AttachmentStripper.partNumber("part/2.1/gz:a.tar/tar:b.txt"));
        assertNull(AttachmentStripper.partNumber("raw"));
        assertNull(AttachmentStripper.partNumber("part/02"));
        assertNull(AttachmentStripper.partNumber(null));
        assertEquals(List.of("part/1"), AttachmentStripper.strip(new byte[0], List.of("part/1"), null).removed(),
                "an empty message has an empty body part 1");
    }
}
