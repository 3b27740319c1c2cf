package io.portcullis.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    private final Tokenizer tokenizer = new Tokenizer();

    private List<String> tokens(String mail) {
        return tokenizer.tokenize(mail.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void prefixesHeaderWordsPerHeaderAndDecodesEncodedWords() {
        List<String> t = tokens("From: Alice <alice@example.org>\nSubject: =?UTF-8?B?" + Base64.getEncoder()
                .encodeToString("Grüße Viagra".getBytes(StandardCharsets.UTF_8)) + "?=\nX-Mailer: Outlook Express 6\n"
                + "Received: from mx1.sender.example ([192.0.2.7]) by mx.example.net\n\nhello world\n");
        assertTrue(t.contains("subject:grüße"), t.toString());
        assertTrue(t.contains("subject:viagra"));
        assertTrue(t.contains("from:alice@example.org"), t.toString());
        assertTrue(t.contains("from:@example.org"));
        assertTrue(t.contains("x-mailer:outlook"));
        assertTrue(t.contains("rcvd:mx1.sender.example"));
        assertTrue(t.contains("rcvd:192.0.2.7"));
        assertTrue(t.contains("hello"));
        assertTrue(t.contains("world"));
    }

    @Test
    void decodesBase64AndQuotedPrintableTextParts() {
        String b64 = Base64.getMimeEncoder().encodeToString("cheap mortgage rates".getBytes(StandardCharsets.UTF_8));
        List<String> t = tokens("Subject: x\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
                + "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n"
                + "--b\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "caf=E9 cr=\n=E8me\n--b--\n");
        assertTrue(t.contains("mortgage"), t.toString());
        assertTrue(t.contains("café"));
        assertTrue(t.contains("crème"));
        // MIME structure is not evidence: in the 2002 training corpus ham almost never has attachments, so structure
        // tokens made any mail with an attachment look like spam
        assertTrue(t.stream().noneMatch(x -> x.startsWith("mime:multipart") || x.startsWith("content-type:")
                || x.startsWith("part-content-type:") || x.startsWith("part-content-transfer-encoding:")), t.toString());
    }

    @Test
    void rendersHtmlToTextAndTokenizesUrlHostsAndPaths() {
        List<String> t = tokens("Subject: x\nContent-Type: text/html\n\n<html><body><p>Buy <b>now</b></p>"
                + "<a href=\"http://click.spammer.example/offer/win?id=1\">here</a><img src=\"http://10.1.2.3/p.gif\">"
                + "<script>var hidden='x'</script></body></html>\n");
        assertTrue(t.contains("buy"), t.toString());
        assertTrue(t.contains("now"));
        assertTrue(t.contains("url:click.spammer.example"));
        assertTrue(t.contains("url:spammer.example"));
        assertTrue(t.contains("urlp:offer"));
        assertTrue(t.contains("url:ip-literal"));
        assertTrue(t.contains("html:yes"));
        assertTrue(t.stream().noneMatch(s -> s.equals("<b>") || s.equals("href")), "markup is not text");
    }

    @Test
    void unknownCharsetFallsBackInsteadOfThrowing() {
        List<String> t = tokens("Subject: x\nContent-Type: text/plain; charset=x-no-such-charset!!\n\nplain words\n");
        assertTrue(t.contains("charset:bad"), t.toString());
        assertTrue(t.contains("plain"));
    }

    @Test
    void hugeHeaderIsBoundedAndDoesNotThrow() {
        String subject = "word ".repeat(400_000); // 2 MB header line
        List<String> t = tokens("Subject: " + subject + "\n\nbody\n");
        assertTrue(t.size() <= Tokenizer.MAX_TOKENS);
        assertTrue(t.contains("subject:word") || t.contains("parse:failed") || t.contains("word"), t.toString());
    }

    @Test
    void deepMultipartNestingIsCutOffWithoutStackOverflow() {
        StringBuilder sb = new StringBuilder("Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n");
        int depth = 2000;
        for (int i = 0; i < depth; i++) {
            sb.append("--b").append(i).append("\nContent-Type: multipart/mixed; boundary=b").append(i + 1)
                    .append("\n\n");
        }
        sb.append("--b").append(depth).append("\nContent-Type: text/plain\n\ninnermost\n");
        List<String> t = assertTimeoutPreemptively(() -> tokens(sb.toString()));
        assertTrue(t.contains("mime:too-deep") || t.contains("parse:failed"), t.toString());
        assertTrue(t.contains("subject:deep"));
    }

    @Test
    void manyPartsAreCapped() {
        StringBuilder sb = new StringBuilder("Subject: parts\nContent-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("--b\nContent-Type: text/plain\n\npart").append(i).append("\n");
        }
        sb.append("--b--\n");
        List<String> t = assertTimeoutPreemptively(() -> tokens(sb.toString()));
        assertTrue(t.contains("mime:too-many-parts"));
        assertTrue(!t.contains("part4999"), "parts after the cap are not read");
    }

    @Test
    void binaryGarbageNeverThrowsAndStaysBounded() {
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[r.nextInt(200_000)];
            r.nextBytes(junk);
            List<String> t = tokenizer.tokenize(junk);
            assertTrue(t.size() <= Tokenizer.MAX_TOKENS);
        }
        assertTrue(tokenizer.tokenize(new byte[0]).size() <= 1);
    }

    @Test
    void oversizedMessageIsTruncatedAndTokenCountCapped() {
        StringBuilder sb = new StringBuilder("Subject: big\n\n");
        for (int i = 0; i < 1_000_000; i++) {
            sb.append('w').append(i).append(' ');
        }
        List<String> t = assertTimeoutPreemptively(() -> tokens(sb.toString()));
        assertEquals(Tokenizer.MAX_TOKENS, t.size());
        assertTrue(t.contains("limit:tokens"));
        assertTrue(t.contains("limit:bytes"));
    }

    @Test
    void malformedMimeHeadersAndBoundariesDoNotThrow() {
        List<String> t = tokens("Subject x no colon\n: empty name\nContent-Type: multipart/mixed; boundary=\"\n\n"
                + "--\n--\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n");
        assertTrue(t.size() > 0);
        List<String> qp = tokens("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n=ZZ=\n=\n");
        assertTrue(qp.size() > 0);
    }

    @Test
    void pathologicalHostAndWordRunsAreTokenizedInBoundedTime() {
        String dots = "a.".repeat(20_000) + "1";
        String dashes = ("x" + "-".repeat(5000) + " ").repeat(50);
        List<String> t = assertTimeoutPreemptively(() -> tokens("Received: from " + dots + "\nSubject: " + dashes
                + "\n\n" + dashes + "http://" + dots + "/" + "\n"));
        assertTrue(t.contains("hdr:received"), t.toString());
        assertTrue(t.contains("hdr:long:received"));
    }

    @Test
    void manyHeadersAreBounded() {
        String headers = "X-Junk: v\n".repeat(20_000);
        List<String> t = assertTimeoutPreemptively(() -> tokens(headers + "Subject: s\n\nbody text\n"));
        assertTrue(t.size() <= Tokenizer.MAX_TOKENS && !t.isEmpty());
    }

    @Test
    void sameInputGivesSameTokensInSameOrder() {
        String mail = "Subject: a b c\nContent-Type: text/html\n\n<a href=http://x.example/y>z</a> words here\n";
        assertEquals(tokens(mail), tokens(mail));
    }

    private static <T> T assertTimeoutPreemptively(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), s);
    }

    private static final String[] PIECES = {"a", "Z", "7", "$", "'", ".", "_", "-", " ", "\n", "é", "ß", "Ⅻ", "²",
        "\u0301", "\uD835\uDC00", "\uD800", "\uDC00", "http://", "HTTP://", "www.", "WwW.", "x.com", "/p?q=1", "(",
        "\"", "<", "hTtPs://", "ahttp://"};

    private static String randomText(Random rnd, int pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    @Test
    void handWrittenWordScanFindsExactlyTheWordPattern() {
        java.util.regex.Pattern word = java.util.regex.Pattern.compile(
                "[\\p{L}\\p{N}$][\\p{L}\\p{N}$'._-]*[\\p{L}\\p{N}$]|[\\p{L}\\p{N}$]");
        Random rnd = new Random(21);
        for (int t = 0; t < 20_000; t++) {
            String text = randomText(rnd, rnd.nextInt(40));
            java.util.regex.Matcher m = word.matcher(text);
            int start = Tokenizer.nextWord(text, 0);
            while (m.find()) {
                assertEquals(m.start(), start, "start in [" + text + "]");
                int end = Tokenizer.wordEnd(text, start);
                assertEquals(m.end(), end, "end in [" + text + "]");
                start = Tokenizer.nextWord(text, end);
            }
            assertEquals(-1, start, "no more words in [" + text + "]");
        }
    }

    @Test
    void urlStartsFindsWhatFindFinds() {
        for (String regex : List.of("(?i)\\b(?:https?://|www\\.)[^\\s\"'<>()]{1,300}",
                "(?i)\\b(?:https?://|www\\.)[^\\s\"'<>()\\[\\]{}]{1,2000}")) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
            Random rnd = new Random(22);
            for (int t = 0; t < 20_000; t++) {
                String text = randomText(rnd, rnd.nextInt(30));
                java.util.regex.Matcher plain = p.matcher(text);
                java.util.regex.Matcher fast = p.matcher(text);
                int from = 0;
                while (plain.find()) {
                    assertTrue(UrlStarts.find(fast, text, from), "missed " + plain.group() + " in [" + text + "]");
                    assertEquals(plain.start() + ":" + plain.end(), fast.start() + ":" + fast.end(), text);
                    from = fast.end();
                }
                assertTrue(!UrlStarts.find(fast, text, from), "extra match in [" + text + "]");
            }
        }
    }
}
