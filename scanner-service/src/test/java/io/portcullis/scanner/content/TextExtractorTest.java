package io.portcullis.scanner.content;

import static io.portcullis.scanner.content.TextFixtures.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.scanner.content.MessageText.PartText;
import io.portcullis.scanner.content.MessageText.Status;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.support.TestMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TextExtractorTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TextExtractor extractor;

    @AfterEach
    void close() {
        if (extractor != null) {
            extractor.close();
        }
    }

    private MessageText extract(byte[] message) {
        return extract(TextLimits.DEFAULTS, message);
    }

    private MessageText extract(TextLimits limits, byte[] message) {
        extractor = new TextExtractor(new MessageDecomposer(DecompositionLimits.DEFAULTS), limits, registry);
        return assertTimeoutPreemptively(HANG, () -> extractor.extract("m1", message));
    }

    private static PartText only(MessageText text) {
        assertEquals(1, text.attachments().size(), text.attachments().toString());
        return text.attachments().get(0);
    }

    private static PartText named(MessageText text, String filename) {
        return text.attachments().stream().filter(p -> filename.equals(p.filename())).findFirst()
                .orElseThrow(() -> new AssertionError(filename + " not in " + text.attachments()));
    }

    private static void assertOk(PartText part, String expectedText) {
        assertEquals(Status.OK, part.status(), part.toString());
        assertTrue(part.text().contains(expectedText), part.text());
        assertEquals(null, part.reason());
    }

    @Test
    void extractsPdfTextMadeWithPdfBox() {
        PartText pdf = only(extract(TextFixtures.withAttachment("report.pdf",
                TextFixtures.pdf("Quarterly pipeline confidential", null))));
        assertOk(pdf, "Quarterly pipeline confidential");
        assertEquals("application/pdf", pdf.trueType());
        assertEquals("part/2", pdf.path());
    }

    @Test
    void extractsDocxXlsxOdtAndRtfText() {
        assertOk(only(extract(TextFixtures.withAttachment("a.docx", TextFixtures.docx("Merger codename Falcon")))),
                "Merger codename Falcon");
        PartText xlsx = only(extract(TextFixtures.withAttachment("b.xlsx",
                TextFixtures.xlsx("Salaries", "Payroll total 4711"))));
        assertOk(xlsx, "Payroll total 4711");
        assertEquals("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.trueType());
        PartText odt = only(extract(TextFixtures.withAttachment("c.odt", TextFixtures.odt("Open document words"))));
        assertOk(odt, "Open document words");
        assertEquals("application/vnd.oasis.opendocument.text", odt.trueType());
        assertOk(only(extract(TextFixtures.withAttachment("d.rtf", TextFixtures.rtf("Rich text secret plan")))),
                "Rich text secret plan");
    }

    @Test
    void documentInternalsAreNotListedAsAttachments() {
        // the decomposition unpacks a docx like a zip; its word/document.xml must not be extracted again
        MessageText text = extract(TextFixtures.withAttachment("a.docx", TextFixtures.docx("Only once")));
        assertEquals(1, text.attachments().size(), text.attachments().toString());
    }

    @Test
    void htmlScriptAndStyleTextIsLeftOut() {
        String html = "<html><head><style>.x{color:red} /* STYLETEXT */</style>"
                + "<script>var leaked = 'SCRIPTTEXT';</script></head><body><p>Visible words here</p>"
                + "<script>document.write('MORESCRIPT')</script></body></html>";
        MessageText inline = extract(TextFixtures.singlePart("html", "text/html; charset=utf-8",
                html.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, inline.body().size());
        assertTrue(inline.bodyText().contains("Visible words here"), inline.bodyText());
        for (String hidden : List.of("SCRIPTTEXT", "MORESCRIPT", "STYLETEXT", "color:red")) {
            assertFalse(inline.bodyText().contains(hidden), inline.bodyText());
        }
        PartText attached = only(extract(TextFixtures.withAttachment("page.html",
                html.getBytes(StandardCharsets.UTF_8))));
        assertOk(attached, "Visible words here");
        assertFalse(attached.text().contains("SCRIPTTEXT"), attached.text());
    }

    @Test
    void zipWithTextAndDocxYieldsBothTexts() {
        byte[] zip = TextFixtures.zip(entries("notes.txt", "plain entry words".getBytes(StandardCharsets.UTF_8),
                "inner/contract.docx", TextFixtures.docx("docx entry words")));
        MessageText text = extract(TextFixtures.withAttachment("bundle.zip", zip));
        PartText container = named(text, "bundle.zip");
        assertEquals(Status.CONTAINER, container.status());
        assertEquals("application/zip", container.trueType());
        assertOk(named(text, "notes.txt"), "plain entry words");
        PartText docx = named(text, "inner/contract.docx");
        assertOk(docx, "docx entry words");
        assertEquals(2, docx.path().chars().filter(c -> c == '/').count() - 1, docx.path());
        assertEquals(3, text.attachments().size(), text.attachments().toString());
        assertTrue(text.complete());
    }

    @Test
    void nestedZipBeyondTheTextDepthIsFlagged() {
        byte[] inner = TextFixtures.zip(entries("deep.txt", "deep words".getBytes(StandardCharsets.UTF_8)));
        byte[] l4 = TextFixtures.zip(entries("l4.zip", inner));
        byte[] l3 = TextFixtures.zip(entries("l3.zip", l4));
        byte[] l2 = TextFixtures.zip(entries("l2.zip", l3));
        TextLimits limits = new TextLimits(100_000, 1_000_000, 1 << 20, Duration.ofSeconds(20),
                Duration.ofSeconds(40), 3, 100, 2, 8);
        MessageText text = extract(limits, TextFixtures.withAttachment("nest.zip", l2));
        assertEquals(Status.CONTAINER, named(text, "nest.zip").status());
        assertEquals(Status.CONTAINER, named(text, "l2.zip").status());
        assertEquals(Status.CONTAINER, named(text, "l3.zip").status());
        PartText l4Part = named(text, "l4.zip");
        assertEquals(Status.LIMIT, l4Part.status(), l4Part.toString());
        assertEquals(Status.LIMIT, named(text, "deep.txt").status());
        assertEquals("", named(text, "deep.txt").text());
        assertTrue(text.limits().stream().anyMatch(l -> l.contains("nested deeper than 3")), text.limits().toString());
        assertFalse(text.complete());
        assertTrue(text.unscannable().contains(l4Part));
    }

    @Test
    void zipNestedBeyondTheDecompositionDepthIsFlagged() {
        byte[] inner = TextFixtures.zip(entries("deep.txt", "deep words".getBytes(StandardCharsets.UTF_8)));
        byte[] l2 = TextFixtures.zip(entries("l2.zip", TextFixtures.zip(entries("l3.zip", inner))));
        extractor = new TextExtractor(new MessageDecomposer(new DecompositionLimits(2, 1 << 24, 100, 1 << 22, 100,
                100, 8192, 8192)), TextLimits.DEFAULTS, registry);
        MessageText text = extractor.extract("m1", TextFixtures.withAttachment("nest.zip", l2));
        assertEquals(Status.CONTAINER, named(text, "nest.zip").status());
        PartText deepest = named(text, "l2.zip");
        assertEquals(Status.LIMIT, deepest.status(), deepest.toString());
        assertTrue(deepest.reason().contains("ARCHIVE_DEPTH"), deepest.reason());
        assertFalse(text.attachments().stream().anyMatch(p -> "deep.txt".equals(p.filename())
                || "l3.zip".equals(p.filename())));
        assertFalse(text.complete());
    }

    @Test
    void encryptedZipIsEncrypted() {
        byte[] zip = TestMessages.markEncrypted(TextFixtures.zip(entries("secret.txt",
                "secret words".getBytes(StandardCharsets.UTF_8))));
        MessageText text = extract(TextFixtures.withAttachment("locked.zip", zip));
        assertEquals(Status.CONTAINER, named(text, "locked.zip").status());
        PartText secret = named(text, "secret.txt");
        assertEquals(Status.ENCRYPTED, secret.status(), secret.toString());
        assertFalse(text.complete());
        assertEquals(List.of(secret), text.unscannable());
    }

    @Test
    void documentEmbeddedInPdfIsExtractedIntoItsText() {
        byte[] pdf = TextFixtures.pdfWithEmbeddedFile("Cover letter words", "inner.txt",
                "embedded file words".getBytes(StandardCharsets.UTF_8));
        MessageText text = extract(TextFixtures.withAttachment("cover.pdf", pdf));
        PartText part = only(text); // the decomposition's pdf:inner.txt item is covered by the PDF's own text
        assertOk(part, "Cover letter words");
        assertTrue(part.text().contains("embedded file words"), part.text());
    }

    @Test
    void documentEmbeddedBeyondTheDepthIsTruncated() {
        byte[] pdf = TextFixtures.pdfWithEmbeddedFile("Cover letter words", "inner.txt",
                "embedded file words".getBytes(StandardCharsets.UTF_8));
        TextLimits limits = new TextLimits(100_000, 1_000_000, 1 << 20, Duration.ofSeconds(20),
                Duration.ofSeconds(40), 1, 100, 2, 8);
        PartText part = only(extract(limits, TextFixtures.withAttachment("cover.pdf", pdf)));
        assertEquals(Status.TRUNCATED, part.status(), part.toString());
        assertTrue(part.text().contains("Cover letter words"), part.text());
        assertFalse(part.text().contains("embedded file words"), part.text());
        assertTrue(part.reason().contains("depth"), part.reason());
    }

    @Test
    void sevenZipWithEncryptedHeadersIsEncrypted() {
        byte[] sevenZ = io.portcullis.scanner.support.Archives.sevenZ(entries("secret.txt",
                "secret words".getBytes(StandardCharsets.UTF_8)), "pw");
        MessageText text = extract(TextFixtures.withAttachment("locked.7z", sevenZ));
        assertTrue(text.attachments().stream().anyMatch(p -> p.status() == Status.ENCRYPTED), text.toString());
        assertTrue(text.attachments().stream().noneMatch(p -> p.text().contains("secret words")));
        assertFalse(text.complete());
    }

    @Test
    void pdfDeflateBombIsNotHandedToPdfBox() {
        byte[] bomb = io.portcullis.scanner.mime.PdfBombFixtures.objectStreamBomb();
        PartText pdf = only(extract(TextFixtures.withAttachment("bomb.pdf", bomb)));
        assertEquals(Status.LIMIT, pdf.status(), pdf.toString());
        assertTrue(pdf.reason().startsWith("PDF structure streams inflate beyond"), pdf.reason());
    }

    @Test
    void pdfDeflateBombInsideADocumentIsSkipped() {
        // a PDF carrying the bomb as an embedded file: Tika would hand it to PDFBox as an embedded document
        byte[] carrier = TextFixtures.pdfWithEmbeddedFile("Carrier words", "bomb.pdf",
                io.portcullis.scanner.mime.PdfBombFixtures.objectStreamBomb());
        PartText pdf = only(extract(TextFixtures.withAttachment("carrier.pdf", carrier)));
        assertEquals(Status.TRUNCATED, pdf.status(), pdf.toString());
        assertTrue(pdf.text().contains("Carrier words"), pdf.text());
        assertTrue(pdf.reason().startsWith("an embedded PDF was not extracted"), pdf.reason());
    }

    @Test
    void xmlExternalEntitiesAreNotResolved() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("xxe", ".txt");
        try {
            java.nio.file.Files.writeString(secret, "XXE-MARKER-FROM-DISK");
            String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e SYSTEM \"" + secret.toUri()
                    + "\">]><r><p>visible xml words</p><p>&e;</p></r>";
            PartText part = only(extract(TextFixtures.withAttachment("data.xml",
                    xml.getBytes(StandardCharsets.UTF_8))));
            assertFalse(part.text().contains("XXE-MARKER-FROM-DISK"), part.text());
            assertNotEquals(Status.UNSUPPORTED, part.status(), part.toString());
        } finally {
            java.nio.file.Files.deleteIfExists(secret);
        }
    }

    @Test
    void encryptedPdfIsNotOk() {
        PartText pdf = only(extract(TextFixtures.withAttachment("locked.pdf",
                TextFixtures.pdf("hidden numbers", "user-secret"))));
        assertTrue(pdf.status() == Status.ENCRYPTED || pdf.status() == Status.FAILED, pdf.toString());
        assertFalse(pdf.text().contains("hidden numbers"));
        assertFalse(pdf.status().scanned());
    }

    @Test
    void garbageNamedPdfFailsWithoutException() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[0] = '%';
        garbage[1] = 'P';
        garbage[2] = 'D';
        garbage[3] = 'F';
        PartText pdf = only(extract(TextFixtures.withAttachment("invoice.pdf", garbage)));
        assertEquals(Status.FAILED, pdf.status(), pdf.toString());
        assertTrue(pdf.reason().startsWith("parser error"), pdf.reason());
    }

    @Test
    void randomBytesNamedPdfAreNeverOk() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        PartText pdf = only(extract(TextFixtures.withAttachment("invoice.pdf", garbage)));
        assertNotEquals(Status.OK, pdf.status(), pdf.toString());
        assertFalse(pdf.status().scanned());
    }

    @Test
    void executableIsUnsupported() {
        byte[] pe = new byte[512];
        pe[0] = 'M';
        pe[1] = 'Z';
        PartText exe = only(extract(TextFixtures.withAttachment("tool.exe", pe)));
        assertEquals(Status.UNSUPPORTED, exe.status(), exe.toString());
    }

    @Test
    void fiftyMegabyteTextBombInZipIsTruncatedAtTheLimit() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        byte[] line = "all work and no play makes a text bomb\n".getBytes(StandardCharsets.US_ASCII);
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry("bomb.txt"));
            for (long written = 0; written < 50L * 1024 * 1024; written += line.length) {
                zip.write(line);
            }
            zip.closeEntry();
        }
        TextLimits limits = new TextLimits(100_000, 150_000, 10L * 1024 * 1024, Duration.ofSeconds(20),
                Duration.ofSeconds(40), 5, 100, 2, 8);
        MessageText text = extract(limits, TextFixtures.withAttachment("bomb.zip", zipped.toByteArray()));
        PartText bomb = named(text, "bomb.txt");
        assertEquals(Status.TRUNCATED, bomb.status(), bomb.toString());
        assertTrue(bomb.text().length() <= 100_000, "kept " + bomb.text().length());
        assertTrue(bomb.text().length() > 90_000, "kept " + bomb.text().length());
        assertTrue(bomb.text().startsWith("all work and no play"));
        assertEquals("character limit (100000)", bomb.reason());
    }

    @Test
    void messageCharacterBudgetCutsLaterAttachments() {
        String words = "budget ".repeat(10_000); // 70,000 characters
        byte[] message = TestMessages.crlf("From: <a@example.net>\nSubject: many\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nhello\n"
                + "--b\nContent-Type: text/plain; name=\"one.txt\"\n\n" + words + "\n"
                + "--b\nContent-Type: text/plain; name=\"two.txt\"\n\n" + words + "\n"
                + "--b\nContent-Type: text/plain; name=\"three.txt\"\n\n" + words + "\n--b--\n");
        TextLimits limits = new TextLimits(80_000, 100_000, 1 << 20, Duration.ofSeconds(20), Duration.ofSeconds(40),
                5, 100, 2, 8);
        MessageText text = extract(limits, message);
        assertEquals(Status.OK, named(text, "one.txt").status());
        PartText two = named(text, "two.txt");
        assertEquals(Status.TRUNCATED, two.status(), two.toString());
        assertTrue(two.reason().startsWith("message character limit"), two.reason());
        assertEquals(Status.LIMIT, named(text, "three.txt").status());
        int total = text.parts().stream().mapToInt(p -> p.text().length()).sum();
        assertTrue(total <= 100_000, "total " + total);
        assertFalse(text.limits().isEmpty());
    }

    @Test
    void tooManyAttachmentsAreFlagged() {
        byte[] zip = TextFixtures.zip(entries("1.txt", "one".getBytes(StandardCharsets.UTF_8),
                "2.txt", "two".getBytes(StandardCharsets.UTF_8), "3.txt", "three".getBytes(StandardCharsets.UTF_8)));
        TextLimits limits = new TextLimits(1000, 10_000, 1 << 20, Duration.ofSeconds(20), Duration.ofSeconds(40), 5,
                3, 2, 8);
        MessageText text = extract(limits, TextFixtures.withAttachment("many.zip", zip));
        assertEquals(Status.OK, named(text, "2.txt").status());
        assertEquals(Status.LIMIT, named(text, "3.txt").status());
        assertTrue(text.limits().get(0).startsWith("more than 3 attachments"), text.limits().toString());
    }

    @Test
    void rfc2047SubjectIsDecoded() {
        MessageText b = extract(TestMessages.plain("=?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=", "x"));
        assertEquals("Grüße aus Köln", b.subject());
        MessageText q = extract(TestMessages.plain("=?ISO-8859-1?Q?Angebot_f=FCr_Sie?= heute", "x"));
        assertEquals("Angebot für Sie heute", q.subject());
    }

    @Test
    void declaredCharsetsDecodeTheBody() {
        assertBody("text/plain; charset=ISO-8859-1", "Grüße aus Köln, déjà vu", Charset.forName("ISO-8859-1"));
        assertBody("text/plain; charset=\"UTF-8\"", "日本語のテキスト und Grüße", StandardCharsets.UTF_8);
        assertBody("text/plain; charset=windows-1252", "Preis 10 € – „Angebot“ …", Charset.forName("windows-1252"));
        assertBody("text/html; charset=windows-1252", "Preis 10 € – „Angebot“", Charset.forName("windows-1252"));
    }

    private void assertBody(String contentType, String words, Charset charset) {
        byte[] body = contentType.startsWith("text/html") ? ("<html><body><p>" + words + "</p></body></html>")
                .getBytes(charset) : words.getBytes(charset);
        MessageText text = extract(TextFixtures.singlePart("charset", contentType, body));
        assertEquals(1, text.body().size(), text.toString());
        assertEquals(Status.OK, text.body().get(0).status());
        assertTrue(text.bodyText().contains(words), contentType + ": " + text.bodyText());
        extractor.close();
        extractor = null;
    }

    @Test
    void multipartBodyAndAttachmentAreSeparated() {
        MessageText text = extract(TextFixtures.withAttachment("a.txt", "attached words".getBytes(
                StandardCharsets.UTF_8)));
        assertEquals("see attachment", text.bodyText().trim());
        assertOk(only(text), "attached words");
        assertTrue(text.complete());
    }

    @Test
    void rejectsBadLimits() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new TextLimits(0, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, 1, 1));
        assertTrue(e.getMessage().contains("portcullis.scanner.text.max-attachment-chars"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new TextLimits(1, 1, 1, Duration.ZERO, Duration.ofSeconds(1), 1, 1, 1, 1));
        assertTrue(e.getMessage().contains("attachment-timeout"), e.getMessage());
    }

    @Test
    void findingMentionsMatchThePathAndItsEntriesOnly() {
        assertTrue(TextExtractor.mentions("encrypted entry part/2/zip:a.txt", "part/2"));
        assertTrue(TextExtractor.mentions("7z: encrypted headers in part/2", "part/2"));
        assertFalse(TextExtractor.mentions("encrypted entry part/2.1/zip:a.txt", "part/2"));
        assertFalse(TextExtractor.mentions("encrypted entry part/21", "part/2"));
    }
}
