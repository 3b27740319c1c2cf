package io.portcullis.scanner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.support.ClamavTestFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HtmlActiveContentEngineTest {
    private final HtmlActiveContentEngine engine = new HtmlActiveContentEngine(1 << 20);

    private List<Finding> scan(ScanItem... items) {
        return scan(engine, items);
    }

    private static List<Finding> scan(HtmlActiveContentEngine engine, ScanItem... items) {
        try {
            return engine.scan(new ScanInput("t", null, List.of(items))).findings();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ScanItem body(String html) {
        return new ScanItem("part/1", null, "text/html", 1, html.getBytes(StandardCharsets.UTF_8));
    }

    private static ScanItem attachment(String name, String html) {
        return new ScanItem("part/2", name, "application/octet-stream", 1, html.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> symbols(List<Finding> f) {
        return f.stream().map(Finding::symbol).toList();
    }

    private static Finding only(List<Finding> findings, String symbol) {
        List<Finding> f = findings.stream().filter(x -> x.symbol().equals(symbol)).toList();
        assertEquals(1, f.size(), findings.toString());
        return f.get(0);
    }

    @Test
    void scriptIframeAndPasswordFormInABodyAreContent() {
        List<Finding> f = scan(body("<html><body onload=\"init()\"><script>var a=1;</script>"
                + "<iframe src=\"https://example.net/\"></iframe><form action=\"https://evil.example/login\">"
                + "<input name=u><input type=password name=p></form><a href=\"javascript:go()\">x</a></body></html>"));
        assertEquals(List.of(HtmlActiveContentEngine.SCRIPT, HtmlActiveContentEngine.IFRAME,
                HtmlActiveContentEngine.FORM), symbols(f));
        assertEquals("1 script element, 1 event handler, 1 javascript: URL in part/1", f.get(0).detail());
        assertEquals("1 iframe/frame element in part/1", f.get(1).detail());
        assertEquals("1 form in part/1 (password field, posts to another site)", f.get(2).detail());
        f.forEach(x -> assertEquals(Category.CONTENT, x.category()));
    }

    @Test
    void plainNewsletterHtmlReportsNothing() {
        assertEquals(List.of(), scan(body("<html><head><style>p{color:red}</style></head><body><p>Hello <b>you</b>"
                + "</p><img src=\"data:image/png;base64,iVBORw0KGgo=\"><a href=\"https://example.org\">more</a>"
                + "</body></html>")));
    }

    @Test
    void htmlAttachmentWithScriptIsActiveContent() {
        Finding f = only(scan(attachment("invoice.html", "<html><script src=x.js></script><img src=x onerror=y()>"
                + "</html>")), HtmlActiveContentEngine.ATTACHMENT_SCRIPT);
        assertEquals(Category.ACTIVE_CONTENT, f.category());
        assertEquals("script in HTML attachment part/2 (1 script element, 1 event handler)", f.detail());
    }

    @Test
    void svgAndHtaAttachmentsWithScriptAreActiveContent() {
        only(scan(attachment("logo.svg", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"
                + "<script><![CDATA[alert(1)]]></script></svg>")), HtmlActiveContentEngine.ATTACHMENT_SCRIPT);
        only(scan(attachment("setup.hta", "<hta:application id=x><script language=vbscript>CreateObject(\"WScript"
                + ".Shell\").Run \"calc\"</script>")), HtmlActiveContentEngine.ATTACHMENT_SCRIPT);
    }

    @Test
    void htmlIsSniffedEvenWithAnInnocentName() {
        ScanItem item = new ScanItem("part/2/zip:readme.txt", "readme.txt", null, 2,
                "\uFEFF  <!DOCTYPE html><html><script>x()</script></html>".getBytes(StandardCharsets.UTF_8));
        only(scan(item), HtmlActiveContentEngine.ATTACHMENT_SCRIPT);
    }

    @Test
    void nonHtmlItemsAndTheRawMessageAreIgnored() {
        assertEquals(List.of(), scan(new ScanItem("raw", null, "message/rfc822", 0,
                "<script>x()</script>".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(List.of(), scan(new ScanItem("part/1", null, "text/plain", 1,
                "use <script> tags like this: <script>x()</script>".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(List.of(), scan(new ScanItem("part/2", "a.png", "image/png", 1,
                "<html><script>x()</script>".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void activeXObjectsAndFlashEmbeds() {
        List<Finding> f = scan(body("<object classid=\"clsid:D27CDB6E-AE6D-11cf-96B8-444553540000\"></object>"
                + "<embed type=\"application/x-shockwave-flash\" src=\"a.swf\">"));
        Finding x = only(f, HtmlActiveContentEngine.ACTIVEX);
        assertEquals(Category.ACTIVE_CONTENT, x.category());
        assertEquals("object with classid, embed of type application/x-shockwave-flash in part/1", x.detail());
    }

    @Test
    void javaAppletsInAllTheirForms() {
        Finding f = only(scan(body("<applet code=A.class archive=a.jar></applet>"
                + "<object classid=\"java:Evil.class\"></object>"
                + "<embed type=\"application/x-java-applet;version=1.6\">")), HtmlActiveContentEngine.APPLET);
        assertEquals(Category.ACTIVE_CONTENT, f.category());
        assertEquals("applet element, Java object, Java embed in part/1", f.detail());
    }

    @Test
    void blobDownloadSmuggling() {
        String html = "<html><body><script>var d = new Uint8Array([77,90]);"
                + "var b = new Blob([d], {type: 'octet/stream'}); var a = document.createElement('a');"
                + "a.href = window.URL.createObjectURL(b); a.download = 'invoice.iso'; a.click();</script></body>";
        Finding f = only(scan(attachment("doc.html", html)), HtmlActiveContentEngine.SMUGGLING);
        assertEquals(Category.ACTIVE_CONTENT, f.category());
        assertEquals("script builds a Blob or File and triggers a download in part/2", f.detail());
    }

    @Test
    void msSaveOrOpenBlobSmugglingInABody() {
        List<Finding> f = scan(body("<script>if (navigator.msSaveOrOpenBlob) navigator.msSaveOrOpenBlob("
                + "new Blob([x]), 'a.zip');</script>"));
        only(f, HtmlActiveContentEngine.SMUGGLING);
        only(f, HtmlActiveContentEngine.SCRIPT);
    }

    @Test
    void largeBase64PayloadDecodedByScript() {
        byte[] payload = new byte[12_000];
        new Random(1).nextBytes(payload);
        String b64 = Base64.getEncoder().encodeToString(payload);
        Finding f = only(scan(attachment("a.htm", "<script>var p = atob('" + b64 + "'); document.write(p);"
                + "</script>")), HtmlActiveContentEngine.SMUGGLING);
        assertTrue(f.detail().startsWith("script decodes a base64 payload of 1"), f.detail());
        assertEquals(List.of(), scan(attachment("b.htm", "<p>" + b64 + "</p>")).stream()
                .filter(x -> x.symbol().equals(HtmlActiveContentEngine.SMUGGLING)).toList(), "no script, no smuggling");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void manyRunsJustShortOfTheBase64ThresholdAreOnePass() {
        // 2,000 runs of 4,095 base64 characters per item: the old find() loop retried every start in every run
        // (~1.7 * 10^10 steps an item; measured at ~30 ms a run here, so about three minutes for these three items)
        String runs = ("A".repeat(HtmlActiveContentEngine.LARGE_BASE64 - 1) + "!").repeat(2_000);
        String html = "<script>var p = atob(x);\nvar d = '" + runs + "';</script>";
        assertTrue(html.length() > 8_000_000);
        List<Finding> f = scan(new HtmlActiveContentEngine(16 << 20), attachment("a.htm", html),
                attachment("b.htm", html), attachment("c.htm", html));
        assertEquals(List.of(HtmlActiveContentEngine.ATTACHMENT_SCRIPT, HtmlActiveContentEngine.ATTACHMENT_SCRIPT,
                HtmlActiveContentEngine.ATTACHMENT_SCRIPT), symbols(f), "4,095 is not a payload");
        String oneMore = runs + "B".repeat(HtmlActiveContentEngine.LARGE_BASE64) + "==;";
        Finding smuggling = only(scan(new HtmlActiveContentEngine(16 << 20), attachment("last.htm",
                "<script>var p = atob(x);\nvar d = '" + oneMore + "';</script>")), HtmlActiveContentEngine.SMUGGLING);
        assertEquals("script decodes a base64 payload of 3 KiB in part/2", smuggling.detail());
    }

    @Test
    void longestBase64RunCountsOnlyRunsAtTheThreshold() throws InterruptedException {
        int large = HtmlActiveContentEngine.LARGE_BASE64;
        assertEquals(0, HtmlActiveContentEngine.longestBase64Run(""));
        assertEquals(0, HtmlActiveContentEngine.longestBase64Run("x".repeat(large - 1) + "-" + "y".repeat(large - 1)));
        assertEquals(large, HtmlActiveContentEngine.longestBase64Run("-" + "a+/9".repeat(large / 4)));
        assertEquals(large + 2, HtmlActiveContentEngine.longestBase64Run("Q".repeat(large) + "===" + "Q".repeat(10)),
                "up to two = belong to the run");
        assertEquals(2 * large + 1, HtmlActiveContentEngine.longestBase64Run("Q".repeat(large) + "=.("
                + "Z".repeat(2 * large) + "=" + ")"), "the longest one counts");
    }

    @Test
    void base64PassStopsOnInterrupt() {
        String runs = ("A".repeat(HtmlActiveContentEngine.LARGE_BASE64 - 1) + "!").repeat(100);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> HtmlActiveContentEngine.longestBase64Run(runs));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void dataLinksThatDownload() {
        only(scan(body("<a href=\"data:text/plain;base64,aGk=\" download=\"a.txt\">get</a>")),
                HtmlActiveContentEngine.SMUGGLING);
        assertEquals(List.of(), scan(body("<a href=\"data:text/plain,hello\">read</a>")));
    }

    @Test
    void clamavTestHtmlWithAnExecutableDataLink() {
        ScanItem item = new ScanItem("part/2", "clam.exe.html", "text/html", 1, ClamavTestFiles.read("clam.exe.html"));
        List<Finding> f = scan(item);
        assertEquals(List.of(new Finding(HtmlActiveContentEngine.SMUGGLING, Category.ACTIVE_CONTENT, 0,
                "data: link of type application/octet-stream in part/2")), f);
    }

    @Test
    void oversizedHtmlIsInspectedUpToTheLimitAndReported() {
        HtmlActiveContentEngine small = new HtmlActiveContentEngine(1000);
        String html = "<html><script>x()</script>" + "<p>filler</p>".repeat(500) + "<iframe src=a></iframe>";
        List<Finding> f = scan(small, body(html));
        Finding limit = only(f, HtmlActiveContentEngine.LIMIT);
        assertEquals(Category.FAILURE, limit.category());
        assertEquals("HTML in part/1 is " + html.length() + " bytes; only the first 1000 were inspected",
                limit.detail());
        only(f, HtmlActiveContentEngine.SCRIPT);
        assertEquals(List.of(), f.stream().filter(x -> x.symbol().equals(HtmlActiveContentEngine.IFRAME)).toList());
    }

    @Test
    void hostileMarkupNeverThrows() {
        scan(body("<div>".repeat(100_000) + "<script>x()</script>"));
        scan(body("<a " + "x=".repeat(50_000) + ">"));
        byte[] garbage = new byte[200_000];
        new Random(5).nextBytes(garbage);
        scan(new ScanItem("part/1", null, "text/html", 1, garbage));
        scan(body("<script>" + "A".repeat(2_000_000) + "</script><form><form><form>"));
    }

    @Test
    void failureBecomesHtmlFailThroughTheRunner() {
        HtmlActiveContentEngine broken = new HtmlActiveContentEngine(10) {
            @Override
            public EngineResult scan(ScanInput input) {
                throw new IllegalStateException("boom");
            }
        };
        EngineRunner runner = new EngineRunner(List.of(broken), Duration.ofSeconds(5), 1);
        try {
            Finding f = runner.run(new ScanInput("t", null, List.of())).get(0).findings().get(0);
            assertEquals(HtmlActiveContentEngine.FAILURE_SYMBOL, f.symbol());
            assertEquals(Category.FAILURE, f.category());
        } finally {
            runner.close();
        }
    }

    @Test
    void badLimitFailsAtStartup() {
        assertThrows(IllegalStateException.class, () -> new HtmlActiveContentEngine(0));
    }
}
