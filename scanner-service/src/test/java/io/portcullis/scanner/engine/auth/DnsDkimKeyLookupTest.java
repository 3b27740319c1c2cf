package io.portcullis.scanner.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.mailauth.dkim.DkimKey;
import io.portcullis.mailauth.dkim.DkimSigner;
import io.portcullis.mailauth.dkim.DkimVerifier;
import io.portcullis.mailauth.dkim.DkimVerifier.Outcome;
import io.portcullis.mailauth.dkim.DkimVerifier.Status;
import io.portcullis.mailauth.dkim.MailHeaders;
import io.portcullis.scanner.support.LocalDnsServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

/** The scanner's DNS key lookup for the shared DKIM verifier: records from a local zone, timeouts as TEMPERROR. */
class DnsDkimKeyLookupTest {
    private static final String MAIL = "From: Alice <alice@signed.test>\r\nTo: bob@example.com\r\n"
            + "Subject: report\r\n\r\nHello Bob.\r\n";

    private final KeyPair rsa = rsa2048();
    private final LocalDnsServer dns = new LocalDnsServer()
            // a 2048-bit key record is longer than one TXT character-string: published in pieces, joined on read
            .txt("rsa._domainkey.signed.test", pieces(DkimSigner.keyRecord(rsa.getPublic())))
            .servfail("broken._domainkey.signed.test")
            .silent("slow._domainkey.signed.test");

    @AfterEach
    void stop() {
        dns.close();
    }

    private static KeyPair rsa2048() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] pieces(String record) {
        return new String[] {record.substring(0, 200), record.substring(200)};
    }

    private Outcome verify(String selector) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(Integer.parseInt(dns.address().substring(dns.address().lastIndexOf(':') + 1)));
        AuthDns authDns = new AuthDns(r, Duration.ofMillis(300), 1000, Duration.ofMinutes(5), System::nanoTime);
        byte[] signed = new DkimSigner(List.of(), Clock.systemUTC()).sign(MAIL.getBytes(StandardCharsets.US_ASCII),
                new DkimKey("signed.test", selector, rsa.getPrivate()));
        List<Outcome> all = new DkimVerifier(new DnsDkimKeyLookup(authDns), 5).verify(MailHeaders.parse(signed),
                System.currentTimeMillis() / 1000, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void keyFromDnsVerifies() throws Exception {
        assertEquals(new Outcome(Status.VALID, "signed.test", "rsa", null), verify("rsa"));
    }

    @Test
    void keyLookupTimeoutIsTemperrorNotValid() throws Exception {
        Outcome o = verify("slow");
        assertEquals(Status.TEMPERROR, o.status());
        assertEquals("key lookup timeout", o.reason());
    }

    @Test
    void servfailIsTemperrorAndAMissingRecordIsInvalid() throws Exception {
        assertEquals(Status.TEMPERROR, verify("broken").status());
        Outcome missing = verify("missing");
        assertEquals(Status.INVALID, missing.status());
        assertTrue(missing.reason().startsWith("no key record at missing._domainkey.signed.test"), missing.reason());
    }
}
