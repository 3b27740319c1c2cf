package io.portcullis.scanner.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** DMARC record parsing, organizational domains (public suffix list) and alignment. */
class DmarcEvaluatorTest {

    @Test
    void organizationalDomainIsOneLabelBelowThePublicSuffix() {
        assertEquals("example.co.uk", DmarcEvaluator.organizationalDomain("a.b.Example.CO.uk"));
        assertEquals("example.com", DmarcEvaluator.organizationalDomain("mail.example.com."));
        assertEquals("example.com", DmarcEvaluator.organizationalDomain("example.com"));
        assertEquals("shop.test", DmarcEvaluator.organizationalDomain("mail.shop.test"), "unlisted suffix: two labels");
        assertEquals("co.uk", DmarcEvaluator.organizationalDomain("co.uk"));
        assertEquals("x_y.test", DmarcEvaluator.organizationalDomain("a.x_y.test"), "not a valid name for Guava");
    }

    @Test
    void relaxedAlignmentComparesOrganizationalDomainsStrictComparesNames() {
        assertTrue(DmarcEvaluator.aligned("mail.example.com", "example.com", false));
        assertTrue(DmarcEvaluator.aligned("example.com", "news.example.com", false));
        assertFalse(DmarcEvaluator.aligned("mail.example.com", "example.com", true));
        assertTrue(DmarcEvaluator.aligned("example.com", "example.com", true));
        assertFalse(DmarcEvaluator.aligned("example.co.uk", "other.co.uk", false), "siblings under a public suffix");
        assertFalse(DmarcEvaluator.aligned("evil-example.com", "example.com", false));
    }

    @Test
    void recordsMustStartWithVersionAndDefaultToSafeValues() {
        assertNull(DmarcEvaluator.parse("p=reject; v=DMARC1"));
        assertNull(DmarcEvaluator.parse("v=DMARC2; p=reject"));
        assertNull(DmarcEvaluator.parse("v=DMARC1; p=reject; p=none"), "repeated tag");
        assertNull(DmarcEvaluator.parse(""));
        assertEquals("Record[p=NONE, sp=null, strictDkim=false, strictSpf=false, pct=100]",
                DmarcEvaluator.parse("v=DMARC1; p=bogus; pct=250").toString(), "bad p= is none, bad pct= is 100");
        assertEquals("Record[p=REJECT, sp=QUARANTINE, strictDkim=true, strictSpf=false, pct=20]",
                DmarcEvaluator.parse("v=DMARC1;p=Reject;sp=quarantine;adkim=s;aspf=r;pct=20;rua=mailto:a@b.c;")
                        .toString());
    }
}
