package io.portcullis.scanner.engine;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.GTUBE;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.base64;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.plain;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.scanner.policy.PolicyDecision;
import io.portcullis.scanner.support.LocalScanner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real engines on real messages, through the decomposer and the default policy. */
class DetectionTest {
    private static LocalScanner scanner;

    @BeforeAll
    static void start() {
        scanner = new LocalScanner();
    }

    @AfterAll
    static void stop() {
        scanner.close();
    }

    @Test
    void findsEicarInPlainTextBody() {
        LocalScanner.Result r = scanner.scan(plain("hello", "look: " + EICAR));
        assertEquals(List.of("Eicar-Test-Signature in raw", "Eicar-Test-Signature in part/1"),
                r.details("AV_TEST"));
        Finding f = r.findings().stream().filter(x -> x.symbol().equals("AV_TEST")).findFirst().orElseThrow();
        assertEquals(Category.VIRUS, f.category());
        assertEquals(0, f.score());
        assertTrue(r.decision().virus());
        assertEquals(Action.QUARANTINE, r.decision().action());
        assertEquals("virus-quarantine", r.decision().ruleId());
    }

    @Test
    void findsEicarInBase64AttachmentThatIsNotVisibleInTheRawBytes() {
        byte[] msg = withAttachment("eicar.com.txt", ascii(EICAR));
        assertFalse(new String(msg, StandardCharsets.US_ASCII).contains("EICAR-STANDARD"));
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals(List.of("Eicar-Test-Signature in part/2"), r.details("AV_TEST"));
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    @Test
    void findsEicarInQuotedPrintablePart() {
        String qp = EICAR.replace("=", "=3D").replace("$", "=24");
        byte[] msg = crlf("Subject: qp\nMIME-Version: 1.0\nContent-Type: text/plain\n"
                + "Content-Transfer-Encoding: quoted-printable\n\n" + qp.substring(0, 30) + "=\n" + qp.substring(30)
                + "\n");
        assertEquals(List.of("Eicar-Test-Signature in part/1"), scanner.scan(msg).details("AV_TEST"));
    }

    @Test
    void findsEicarInsideZipAttachment() {
        LocalScanner.Result r = scanner.scan(withAttachment("files.zip", zip("inner/a.txt", ascii(EICAR))));
        assertEquals(List.of("Eicar-Test-Signature in part/2/zip:inner/a.txt"), r.details("AV_TEST"));
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    @Test
    void findsEicarInsideZipInsideZip() {
        byte[] inner = zip("deep/eicar.txt", ascii(EICAR));
        byte[] outer = zip("inner.zip", inner);
        LocalScanner.Result r = scanner.scan(withAttachment("outer.zip", outer));
        assertEquals(List.of("Eicar-Test-Signature in part/2/zip:inner.zip/zip:deep/eicar.txt"),
                r.details("AV_TEST"));
        assertTrue(r.decision().virus());
    }

    @Test
    void findsZipByMagicBytesEvenWithAnInnocentName() {
        LocalScanner.Result r = scanner.scan(withAttachment("report.dat", zip("a.bin", ascii(EICAR))));
        assertEquals(List.of("Eicar-Test-Signature in part/2/zip:a.bin"), r.details("AV_TEST"));
    }

    @Test
    void findsEicarInsideForwardedMessageRfc822() {
        String inner = "Subject: inner\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=in\n\n"
                + "--in\nContent-Type: text/plain\n\nhi\n--in\nContent-Type: application/octet-stream; name=x.bin\n"
                + "Content-Transfer-Encoding: base64\n\n" + base64(ascii(EICAR)) + "\n--in--\n";
        byte[] msg = crlf("Subject: fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=out\n\n"
                + "--out\nContent-Type: text/plain\n\nforwarding\n--out\nContent-Type: message/rfc822\n\n" + inner
                + "\n--out--\n");
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals(List.of("Eicar-Test-Signature in part/2.2"), r.details("AV_TEST"));
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    @Test
    void findsGtubeAndTagsAsSpam() {
        LocalScanner.Result r = scanner.scan(plain("buy now", GTUBE));
        List<Finding> gtube = r.findings().stream().filter(f -> f.symbol().equals("GTUBE")).toList();
        assertEquals(1, gtube.size(), "one GTUBE finding, not one per item");
        assertEquals(Category.SPAM, gtube.get(0).category());
        assertEquals(1000, gtube.get(0).score());
        assertTrue(r.decision().spam());
        assertEquals(1000 + r.bayesScore(), r.decision().spamScore());
        assertEquals(Action.TAG, r.decision().action());
        assertEquals("[SPAM] ", r.decision().modifications().subjectPrefix());
        assertEquals("X-Portcullis-Spam", r.decision().modifications().addHeaders().get(0).name());
    }

    @Test
    void findsGtubeInBase64TextPart() {
        byte[] msg = crlf("Subject: b64\nMIME-Version: 1.0\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\n"
                + base64(ascii("<p>" + GTUBE + "</p>")) + "\n");
        assertEquals(List.of("GTUBE in part/1"), scanner.scan(msg).details("GTUBE"));
    }

    @Test
    void ignoresGtubeInBinaryAttachment() {
        LocalScanner.Result r = scanner.scan(withAttachment("data.bin", ascii(GTUBE)));
        assertFalse(r.symbols().contains("GTUBE"));
        assertEquals(Action.DELIVER, r.decisionWithoutBayes().action(), "attachment-only mail: see above");
    }

    @Test
    void blocksExeAttachment() {
        LocalScanner.Result r = scanner.scan(withAttachment("setup.exe", ascii("MZ not really")));
        assertEquals(List.of("exe in part/2"), r.details("BANNED_EXTENSION"));
        assertEquals(Category.BLOCKED_ATTACHMENT, r.findings().stream()
                .filter(f -> f.symbol().equals("BANNED_EXTENSION")).findFirst().orElseThrow().category());
        assertEquals(Action.QUARANTINE, r.decision().action());
        assertEquals("blocked-attachment-quarantine", r.decision().ruleId());
    }

    @Test
    void blocksExeArchiveEntry() {
        LocalScanner.Result r = scanner.scan(withAttachment("tools.zip", zip("bin/Tool.EXE", ascii("MZ"))));
        assertEquals(List.of("exe in part/2/zip:bin/Tool.EXE"), r.details("BANNED_EXTENSION"));
        assertEquals(Action.QUARANTINE, r.decision().action());
    }

    @Test
    void blocksDoubleExtensionByTheLastOne() {
        assertEquals(List.of("exe in part/2"),
                scanner.scan(withAttachment("invoice.pdf.exe", ascii("x"))).details("BANNED_EXTENSION"));
        assertEquals(List.of(), scanner.scan(withAttachment("setup.exe.pdf", ascii("x"))).details("BANNED_EXTENSION"));
    }

    @Test
    void blocksExtensionHiddenByTrailingDotsSpacesAndCase() {
        assertEquals(List.of("scr in part/2"),
                scanner.scan(withAttachment("photo.SCR. . ", ascii("x"))).details("BANNED_EXTENSION"));
    }

    @Test
    void blocksRfc2231EncodedFilename() {
        byte[] msg = withAttachment("application/octet-stream",
                "attachment; filename*=UTF-8''%E2%82%AC%20rates.%65xe", ascii("x"));
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals(List.of("exe in part/2"), r.details("BANNED_EXTENSION"));
        assertEquals("€ rates.exe", r.decomposition().items().get(2).filename());
    }

    @Test
    void blocksRfc2231ContinuedFilenameInContentTypeName() {
        byte[] msg = withAttachment("application/octet-stream; name*0*=UTF-8''inv%C3%B6ice; name*1=\".js\"", null,
                ascii("x"));
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals(List.of("js in part/2"), r.details("BANNED_EXTENSION"));
        assertEquals("invöice.js", r.decomposition().items().get(2).filename());
    }

    @Test
    void blocksRfc2047EncodedFilename() {
        byte[] msg = withAttachment("application/octet-stream; name=\"=?UTF-8?B?w6RiYy5iYXQ=?=\"",
                "attachment; filename=\"=?UTF-8?Q?=C3=A4bc.bat?=\"", ascii("x"));
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals(List.of("bat in part/2"), r.details("BANNED_EXTENSION"));
        assertEquals("äbc.bat", r.decomposition().items().get(2).filename());
    }

    @Test
    void checksBothNamesWhenDispositionAndContentTypeDisagree() {
        byte[] msg = withAttachment("application/octet-stream; name=\"payload.vbs\"",
                "attachment; filename=\"harmless.txt\"", ascii("x"));
        LocalScanner.Result r = scanner.scan(msg);
        assertEquals(List.of("vbs in part/2"), r.details("BANNED_EXTENSION"));
        List<String> names = r.decomposition().items().stream().filter(i -> i.path().equals("part/2"))
                .map(i -> i.filename()).toList();
        assertEquals(List.of("harmless.txt", "payload.vbs"), names);
    }

    @Test
    void cleanMessageHasNoFindingsAndIsDelivered() {
        // a well-formed PDF: a broken one ("%PDF-1.4" and nothing else) is ARCHIVE_CORRUPT now that PDFs are unpacked
        byte[] pdf = io.portcullis.scanner.support.Containers.pdf(java.util.Map.of(), false, null);
        LocalScanner.Result r = scanner.scan(withAttachment("report.pdf", pdf));
        assertEquals(List.of(), r.nonBayesFindings());
        r.bayesScore(); // exactly one BAYES_xx finding
        // "see attachment" plus a base64 attachment and no other text: the shipped model finds this shape spammy
        // (BAYES_95 when written), so the other engines' verdict is checked without the classifier's finding
        PolicyDecision d = r.decisionWithoutBayes();
        assertEquals(Action.DELIVER, d.action());
        assertFalse(d.virus());
        assertFalse(d.spam());
        assertEquals(null, d.ruleId());
    }

    @Test
    void cleanPlainMessageHasNoFindings() {
        LocalScanner.Result r = scanner.scan(plain("hello", "just a note"));
        assertEquals(List.of(), r.nonBayesFindings());
        assertOneHamBayesFinding(r);
        assertEquals(Action.DELIVER, r.decision().action());
    }

    /** The Bayes engine scores every message: one BAYES_xx finding that adds nothing to the spam score here. */
    private static void assertOneHamBayesFinding(LocalScanner.Result r) {
        List<io.portcullis.contracts.scan.Finding> bayes = r.findings().stream()
                .filter(f -> f.symbol().startsWith("BAYES_")).toList();
        assertEquals(1, bayes.size(), r.findings().toString());
        assertTrue(bayes.get(0).score() <= 0, bayes.toString());
        assertFalse(r.decision().spam());
    }
}
