package io.portcullis.quarantine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MessagePreviewerTest {
    private final MessagePreviewer previewer = new MessagePreviewer(1_000_000, 50, 5, 10_000);

    private static ByteArrayInputStream mail(String s) {
        return new ByteArrayInputStream(s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static final String HOSTILE = """
            <html><head><style>body{background:url(http://evil.example/bg)}</style>
            <script>alert(1)</script><base href="http://evil.example/"><meta http-equiv="refresh" content="0;url=http://evil.example"></head>
            <body onload="alert(2)"><p style="width:expression(alert(3))">Hello <b>friend</b></p>
            <img src="http://tracker.example/pixel.gif" onerror="alert(4)">
            <a href="javascript:alert(5)">click</a> <a href="JaVaScRiPt:alert(6)">x</a>
            <a href="http://ok.example/page" onclick="alert(7)">ok</a>
            <svg onload="alert(8)"><script>alert(9)</script></svg>
            <iframe src="http://evil.example"></iframe><object data="x.swf"></object><embed src="x">
            <form action="http://evil.example/steal"><input name="password"><button>go</button></form>
            <math><mi xlink:href="javascript:alert(10)">m</mi></math>
            <div style="background-image:url('http://evil.example/x')">styled</div>
            <link rel="stylesheet" href="http://evil.example/s.css">
            <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMSk8L3NjcmlwdD4=">data</a>
            </body></html>""";

    @Test
    void hostileHtmlComesOutInert() throws IOException {
        String message = "From: a@x.example\nTo: alice@corp.example\nSubject: =?UTF-8?B?SGVsbG8gw6k=?=\n"
                + "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + HOSTILE + "\n";
        MessagePreview preview = previewer.preview(mail(message));
        String html = preview.html().toLowerCase(Locale.ROOT);
        for (String banned : new String[] {"<script", "onload", "onerror", "onclick", "javascript:", "<style",
                "expression(", "<img", "tracker.example", "<svg", "<iframe", "<object", "<embed", "<form", "<input",
                "<base", "<meta", "<link", "style=", "url(", "data:", "<math", "evil.example"}) {
            assertFalse(html.contains(banned), banned + " survived: " + preview.html());
        }
        assertTrue(html.contains("<b>friend</b>"), preview.html());
        assertTrue(html.contains("href=\"http://ok.example/page\""), preview.html());
        assertTrue(html.contains("rel=\"noopener noreferrer nofollow\""), preview.html());
        assertEquals("Hello é", preview.subject());
        assertTrue(preview.text().contains("Hello friend"), "text from the HTML when there is no text part");
        assertFalse(preview.text().contains("alert(1)"), "script content is not text");
    }

    @Test
    void textHtmlAndAttachmentsOfAMultipartMessage() throws IOException {
        String message = """
                From: "Sender" <s@x.example>
                To: alice@corp.example
                Subject: invoice
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: multipart/alternative; boundary="b2"

                --b2
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                Caf=E9 <script>
                --b2
                Content-Type: text/html

                <p onclick="x()">Caf&eacute;</p>
                --b2--
                --b1
                Content-Type: application/pdf; name="in../../voice.pdf"
                Content-Disposition: attachment; filename="../../etc/invoice.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQK
                --b1
                Content-Type: text/html
                Content-Disposition: attachment; filename="page.html"

                <script>alert(1)</script>
                --b1--
                """;
        MessagePreview preview = previewer.preview(mail(message));
        assertEquals("Café <script>", preview.text().strip(), "plain text is returned as text, never as markup");
        assertEquals("<p>Café</p>", preview.html().strip());
        assertEquals(2, preview.attachments().size());
        assertEquals(new MessagePreview.Attachment(1, "invoice.pdf", "application/pdf", 9), preview.attachments().get(0));
        assertEquals("page.html", preview.attachments().get(1).filename());
        assertTrue(preview.limits().isEmpty(), preview.limits().toString());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals("invoice.pdf", previewer.attachment(mail(message), 1, out).orElseThrow().filename());
        assertEquals("%PDF-1.4\n", out.toString(StandardCharsets.US_ASCII));
        out.reset();
        previewer.attachment(mail(message), 2, out);
        assertEquals("<script>alert(1)</script>", out.toString(StandardCharsets.UTF_8).strip(),
                "attachments are bytes for download, untouched");
        assertTrue(previewer.attachment(mail(message), 3, OutputStream.nullOutputStream()).isEmpty());
    }

    @Test
    void deepNestingManyPartsAndOversizeAreCutNotFatal() throws IOException {
        StringBuilder deep = new StringBuilder("Subject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"d0\"\n\n");
        for (int i = 1; i <= 20; i++) {
            deep.append("--d").append(i - 1).append("\nContent-Type: multipart/mixed; boundary=\"d").append(i)
                    .append("\"\n\n");
        }
        MessagePreview preview = previewer.preview(mail(deep.toString()));
        assertEquals("deep", preview.subject());
        assertTrue(preview.limits().stream().anyMatch(l -> l.contains("nested deeper")), preview.limits().toString());

        StringBuilder many = new StringBuilder("Subject: many\nContent-Type: multipart/mixed; boundary=\"m\"\n\n");
        for (int i = 0; i < 200; i++) {
            many.append("--m\nContent-Type: application/octet-stream; name=\"f").append(i).append(".bin\"\n\nx\n");
        }
        many.append("--m--\n");
        preview = previewer.preview(mail(many.toString()));
        assertEquals(50, preview.attachments().size());
        assertTrue(preview.limits().stream().anyMatch(l -> l.contains("first 50 parts")), preview.limits().toString());

        MessagePreviewer small = new MessagePreviewer(100, 50, 5, 10_000);
        preview = small.preview(mail("Subject: big\n\n" + "y".repeat(5000)));
        assertTrue(preview.text().length() < 100);
        assertTrue(preview.limits().stream().anyMatch(l -> l.contains("first 100 bytes")), preview.limits().toString());
    }

    @Test
    void garbageInputGivesAnEmptyPreviewNotAnError() throws IOException {
        MessagePreview preview = previewer.preview(new ByteArrayInputStream(new byte[] {0, 1, 2, (byte) 0xff, '\n'}));
        assertTrue(preview.attachments().isEmpty());
        preview = previewer.preview(new ByteArrayInputStream(new byte[0]));
        assertEquals("", preview.html());
    }

    @Test
    void filenamesLoseTheirPathsQuotesAndControls() {
        assertEquals("evil.exe", MessagePreviewer.safeFilename("C:\\windows\\evil.exe"));
        assertEquals("ab.txt", MessagePreviewer.safeFilename("a\r\nb.txt"));
        assertEquals(null, MessagePreviewer.safeFilename("../.."));
        assertEquals("rtl.txt", MessagePreviewer.safeFilename("rtl\u202e.txt"));
    }

    private static final class OutputStream {
        static java.io.OutputStream nullOutputStream() {
            return java.io.OutputStream.nullOutputStream();
        }
    }
}
