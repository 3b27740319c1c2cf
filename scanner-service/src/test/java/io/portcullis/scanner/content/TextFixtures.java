package io.portcullis.scanner.content;

import io.portcullis.scanner.support.TestMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Documents and messages built in memory for the text extraction tests (no binary fixtures). */
final class TextFixtures {
    private TextFixtures() {
    }

    @FunctionalInterface
    private interface Writer {
        void write(ByteArrayOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-page PDF showing the text; with a user password when not null. */
    static byte[] pdf(String text, String userPassword) {
        return bytes(out -> {
            try (PDDocument doc = new PDDocument()) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(text);
                    cs.endText();
                }
                if (userPassword != null) {
                    StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword,
                            new AccessPermission());
                    policy.setEncryptionKeyLength(128);
                    doc.protect(policy);
                }
                doc.save(out);
            }
        });
    }

    /** A PDF showing the text with one embedded file (a PDF attachment). */
    static byte[] pdfWithEmbeddedFile(String text, String name, byte[] file) {
        return bytes(out -> {
            try (PDDocument doc = new PDDocument()) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.newLineAtOffset(72, 700);
                    cs.showText(text);
                    cs.endText();
                }
                PDEmbeddedFile ef = new PDEmbeddedFile(doc, new java.io.ByteArrayInputStream(file));
                ef.setSubtype("text/plain");
                ef.setSize(file.length);
                PDComplexFileSpecification spec = new PDComplexFileSpecification();
                spec.setFile(name);
                spec.setEmbeddedFile(ef);
                PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
                tree.setNames(Map.of(name, spec));
                PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
                names.setEmbeddedFiles(tree);
                doc.getDocumentCatalog().setNames(names);
                doc.save(out);
            }
        });
    }

    static byte[] docx(String text) {
        return bytes(out -> {
            try (XWPFDocument doc = new XWPFDocument()) {
                doc.createParagraph().createRun().setText(text);
                doc.write(out);
            }
        });
    }

    static byte[] xlsx(String sheet, String cell) {
        return bytes(out -> {
            try (XSSFWorkbook wb = new XSSFWorkbook()) {
                wb.createSheet(sheet).createRow(0).createCell(0).setCellValue(cell);
                wb.write(out);
            }
        });
    }

    /** A minimal OpenDocument text: the stored "mimetype" entry first, then content.xml and the manifest. */
    static byte[] odt(String text) {
        String content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                + "<office:body><office:text><text:p>" + text + "</text:p></office:text></office:body>"
                + "</office:document-content>";
        String manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                + "<manifest:file-entry manifest:full-path=\"/\""
                + " manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
                + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                + "</manifest:manifest>";
        return bytes(out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                byte[] mimetype = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
                ZipEntry m = new ZipEntry("mimetype");
                m.setMethod(ZipEntry.STORED);
                m.setSize(mimetype.length);
                CRC32 crc = new CRC32();
                crc.update(mimetype);
                m.setCrc(crc.getValue());
                zip.putNextEntry(m);
                zip.write(mimetype);
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("content.xml"));
                zip.write(content.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
                zip.write(manifest.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        });
    }

    static byte[] rtf(String text) {
        return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0\\fs24 " + text + "\\par}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] zip(Map<String, byte[]> entries) {
        return TestMessages.zip(entries);
    }

    static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return m;
    }

    /** A message with a text body and one base64 attachment of the given name. */
    static byte[] withAttachment(String filename, byte[] content) {
        return TestMessages.withAttachment(filename, content);
    }

    /** A single-part message whose body is the given bytes in the declared charset (8bit). */
    static byte[] singlePart(String subjectHeader, String contentType, byte[] body) {
        byte[] head = TestMessages.crlf("From: <alice@example.net>\nTo: <bob@example.com>\nSubject: " + subjectHeader
                + "\nMIME-Version: 1.0\nContent-Type: " + contentType + "\nContent-Transfer-Encoding: 8bit\n\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(body);
        out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }

    static byte[] encode(String text, Charset charset) {
        return text.getBytes(charset);
    }
}
