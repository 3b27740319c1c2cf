package io.portcullis.av.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * Small office documents generated in memory (PDFBox, POI; nothing fetched), each holding {@link #MARKER} and a few
 * KB of report-like text, and the e-mail message that carries one as its attachment.
 */
final class TextDocuments {
    /** A word every document's text contains; the benchmark checks extraction found it. */
    static final String MARKER = "Portcullisbenchmarker";
    /** Lines of text per document (about 60 characters each). */
    static final int LINES = 80;

    private TextDocuments() {
    }

    /** Document name → bytes: report.pdf, report.docx, figures.xlsx, page.html and all.zip (the four zipped). */
    static Map<String, byte[]> all() {
        try {
            Map<String, byte[]> docs = new LinkedHashMap<>();
            docs.put("pdf", pdf());
            docs.put("docx", docx());
            docs.put("xlsx", xlsx());
            docs.put("html", html());
            docs.put("zip", zip(docs));
            return docs;
        } catch (IOException e) {
            throw new IllegalStateException("could not generate the documents", e);
        }
    }

    /** The file name a document is attached as. */
    static String filename(String doc) {
        return switch (doc) {
            case "pdf" -> "report.pdf";
            case "docx" -> "report.docx";
            case "xlsx" -> "figures.xlsx";
            case "html" -> "page.html";
            case "zip" -> "all.zip";
            default -> throw new IllegalArgumentException(doc);
        };
    }

    /** A message with a short text body and the document as a base64 attachment. */
    static byte[] message(String doc, byte[] content) {
        String name = filename(doc);
        String mime = "\r\n--b1\r\nContent-Type: application/octet-stream; name=\"" + name + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(content);
        return ("From: <alice@example.net>\r\nTo: <bob@example.com>\r\nSubject: quarterly " + doc + "\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nsee the attachment\r\n" + mime
                + "\r\n--b1--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String line(int i) {
        return "Line " + i + ": revenue in region " + (i % 7) + " grew by " + (i * 37 % 100) + " percent "
                + (i == LINES / 2 ? MARKER : "as planned");
    }

    static byte[] pdf() throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            int perPage = 50;
            for (int start = 0; start < LINES; start += perPage) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 10);
                    cs.setLeading(13);
                    cs.newLineAtOffset(50, 740);
                    for (int i = start; i < Math.min(LINES, start + perPage); i++) {
                        cs.showText(line(i));
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    static byte[] docx() throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (int i = 0; i < LINES; i++) {
                doc.createParagraph().createRun().setText(line(i));
            }
            doc.write(out);
            return out.toByteArray();
        }
    }

    static byte[] xlsx() throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = book.createSheet("figures");
            for (int i = 0; i < LINES; i++) {
                Row row = sheet.createRow(i);
                row.createCell(0).setCellValue(i == LINES / 2 ? MARKER : "region " + (i % 7));
                row.createCell(1).setCellValue("quarter " + (i % 4 + 1));
                row.createCell(2).setCellValue(i * 1234.5);
                row.createCell(3).setCellValue(i * 37 % 100);
            }
            book.write(out);
            return out.toByteArray();
        }
    }

    static byte[] html() {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Quarterly report</title>"
                + "<style>p { margin: 0 }</style></head><body><h1>Quarterly report</h1>");
        for (int i = 0; i < LINES; i++) {
            html.append("<p class=\"l\">").append(line(i)).append("</p>\n");
        }
        html.append("<table><tr><td>total</td><td>42</td></tr></table></body></html>");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] zip(Map<String, byte[]> docs) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : docs.entrySet()) {
                zip.putNextEntry(new ZipEntry(filename(e.getKey())));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
