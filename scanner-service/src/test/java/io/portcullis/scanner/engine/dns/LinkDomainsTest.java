package io.portcullis.scanner.engine.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.scan.ScanItem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkDomainsTest {
    private final LinkDomains links = new LinkDomains(20, 1 << 20);

    private static ScanItem part(String type, String body) {
        return new ScanItem("part/1", null, type, 1, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hostAndParentsDownToTheRegistrableDomainRegistrableFirst() {
        List<String> names = links.of(List.of(part("text/plain",
                "go to https://a.b.evil.co.uk/x?y and http://user:pw@Shop.Example.COM:8080/ now")));
        assertEquals(List.of("evil.co.uk", "example.com", "a.b.evil.co.uk", "b.evil.co.uk", "shop.example.com"),
                names);
    }

    @Test
    void entityObfuscatedHtmlLinksAreDecoded() {
        String html = "<html><body><a href=\"h&#116;tp://&#x62;ad.example.net/p\">click</a>"
                + "<img src='https://img.tracker.example.org/p.gif'><form action=\"http://phish.example.info/\">"
                + "<p>visit www.text-only.example.biz today</p></body></html>";
        List<String> names = links.of(List.of(part("text/html; charset=utf-8", html)));
        assertTrue(names.containsAll(List.of("example.net", "example.org", "example.info", "example.biz",
                "bad.example.net", "img.tracker.example.org", "tracker.example.org")), names.toString());
    }

    @Test
    void ipLiteralsUnknownSuffixesAndNonTextPartsAreSkipped() {
        List<String> names = links.of(List.of(
                part("text/plain", "http://192.0.2.1/ http://[2001:db8::1]/ http://intranet/ http://foo.invalidtld/"),
                new ScanItem("raw", null, null, 0, "http://raw.example.com/".getBytes(StandardCharsets.US_ASCII)),
                part("application/octet-stream", "http://binary.example.com/")));
        assertEquals(List.of(), names);
    }

    @Test
    void idnAndPercentEncodedHostsAreNormalised() {
        assertEquals("xn--bcher-kva.de", LinkDomains.normalise("B\u00fccher.DE."));
        assertEquals("evil.com", LinkDomains.normalise("%65vil.com"));
        assertEquals("xn--mnchen-3ya.de", LinkDomains.normalise("m\u00fcnchen.de"));
        assertNull(LinkDomains.normalise("%zz.com"));
        assertNull(LinkDomains.normalise("exa mple.com"));
    }

    @Test
    void distinctNamesAreCappedPerMessage() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("http://h").append(i).append(".d").append(i).append(".com/ ");
        }
        List<String> names = new LinkDomains(20, 1 << 20).of(List.of(part("text/plain", sb.toString())));
        assertEquals(20, names.size());
        assertEquals("d0.com", names.get(0));
    }

    @Test
    void hostileOversizedInputIsBoundedAndFast() {
        String hostile = "http://" + "a.".repeat(400_000) + " " + "www.".repeat(300_000)
                + "<a href=\"" + "http://x".repeat(100_000) + "\">";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            links.of(List.of(part("text/plain", hostile), part("text/html", hostile)));
        });
        // a link beyond max-scan-bytes is not read
        String late = "x".repeat(2000) + " http://late.example.com/";
        assertEquals(List.of(), new LinkDomains(20, 1000).of(List.of(part("text/plain", late))));
    }

    @Test
    void textSearchedPerMessageIsBoundedToFourPartsWorth() {
        List<ScanItem> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parts.add(part("text/plain", "x".repeat(1000)));
        }
        parts.add(new ScanItem("part/9", "a.bin", "application/octet-stream", 1, new byte[5000]));
        parts.add(part("text/plain", "http://late.example.com/"));
        assertEquals(List.of(), new LinkDomains(20, 1000).of(parts));
        parts.remove(0);
        assertEquals(List.of("example.com", "late.example.com"), new LinkDomains(20, 1000).of(parts),
                "attachments do not use up the budget");
    }
}
