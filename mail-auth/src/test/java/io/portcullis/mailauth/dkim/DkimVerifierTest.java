package io.portcullis.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.mailauth.dkim.DkimVerifier.Outcome;
import io.portcullis.mailauth.dkim.DkimVerifier.Status;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DKIM verification of mail signed in the test (by {@link DkimTestSigner}, written apart from the library) with keys
 * published in a map, and the RFC 8463 vector. The scanner's DNS lookup is tested in scanner-service.
 */
class DkimVerifierTest {

    /** Key records by name; names marked silent fail as a timed-out DNS lookup would. */
    static final class Keys implements DkimKeyLookup {
        private final Map<String, String> records = new HashMap<>();
        private final Set<String> silent = new HashSet<>();

        Keys txt(String name, String... strings) {
            records.put(name, String.join("", strings));
            return this;
        }

        Keys silent(String name) {
            silent.add(name);
            return this;
        }

        @Override
        public Answer txt(String name, long deadlineNanos) {
            if (silent.contains(name)) {
                return Answer.failed("timeout");
            }
            String r = records.get(name);
            return Answer.of(r == null ? List.of() : List.of(r));
        }
    }

    private static final KeyPair RSA = DkimTestSigner.rsa(1024);
    private static final KeyPair ED = DkimTestSigner.ed25519();
    private static final long NOW = 1_900_000_000L;
    private static final String MAIL = "From: Alice <alice@signed.test>\r\nTo: bob@example.com\r\n"
            + "Subject: quarterly   report\r\nDate: Fri, 27 Nov 2026 08:00:00 +0000\r\n\r\n"
            + "Hello Bob,\r\n\r\nthe numbers are   in.  \r\nAlice\r\n\r\n";

    private final Keys dns = new Keys()
            .txt("rsa._domainkey.signed.test", DkimTestSigner.record(RSA.getPublic(), ""))
            .txt("ed._domainkey.signed.test", DkimTestSigner.record(ED.getPublic(), ""))
            .txt("revoked._domainkey.signed.test", "v=DKIM1; k=rsa; p=")
            .txt("sha1only._domainkey.signed.test", DkimTestSigner.record(RSA.getPublic(), "h=sha1; "))
            .txt("web._domainkey.signed.test", DkimTestSigner.record(RSA.getPublic(), "s=web; "))
            .txt("strict._domainkey.signed.test", DkimTestSigner.record(RSA.getPublic(), "t=s; "))
            .txt("wrongtype._domainkey.signed.test", DkimTestSigner.record(ED.getPublic(), "").clone()[0]
                    .replace("k=ed25519", "k=rsa"))
            .silent("slow._domainkey.signed.test")
            // RFC 8463 Appendix A.2
            .txt("brisbane._domainkey.football.example.com",
                    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
            .txt("test._domainkey.football.example.com", "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR",
                    "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC",
                    "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3",
                    "Ip3G+2kryOTIKT+l/K4w3QIDAQAB");

    private List<Outcome> verify(String message) throws Exception {
        return new DkimVerifier(dns, 5).verify(MailHeaders.parse(message.getBytes(StandardCharsets.ISO_8859_1)),
                NOW, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
    }

    private Outcome one(String message) throws Exception {
        List<Outcome> all = verify(message);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private static String rsa(String message, String selector, String canon, String extra) {
        return DkimTestSigner.sign(message, RSA.getPrivate(), "signed.test", selector, canon, "from:to:subject:date",
                extra);
    }

    @Test
    void rsaSignaturesVerifyInEveryCanonicalization() throws Exception {
        for (String canon : List.of("simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed")) {
            assertEquals(new Outcome(Status.VALID, "signed.test", "rsa", null), one(rsa(MAIL, "rsa", canon, "")),
                    canon);
        }
    }

    @Test
    void ed25519SignatureVerifies() throws Exception {
        String signed = DkimTestSigner.sign(MAIL, ED.getPrivate(), "signed.test", "ed", "relaxed/relaxed",
                "from:subject", "");
        assertEquals(new Outcome(Status.VALID, "signed.test", "ed", null), one(signed));
    }

    @Test
    void rfc8463ExampleVerifiesWithBothAlgorithms() throws Exception {
        String message = String.join("\r\n",
                "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
                " d=football.example.com; i=@football.example.com;",
                " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
                " subject : date : message-id : from : subject : date;",
                " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
                " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
                " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
                " d=football.example.com; i=@football.example.com;",
                " q=dns/txt; s=test; t=1528637909; h=from : to : subject :",
                " date : message-id : from : subject : date;",
                " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
                " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3",
                " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz",
                " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
                "From: Joe SixPack <joe@football.example.com>",
                "To: Suzie Q <suzie@shopping.example.net>",
                "Subject: Is dinner ready?",
                "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
                "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
                "",
                "Hi.",
                "",
                "We lost the game.  Are you hungry yet?",
                "",
                "Joe.",
                "");
        assertEquals(List.of(new Outcome(Status.VALID, "football.example.com", "brisbane", null),
                new Outcome(Status.VALID, "football.example.com", "test", null)), verify(message));
        assertEquals(List.of(Status.INVALID, Status.INVALID),
                verify(message.replace("We lost", "We won")).stream().map(Outcome::status).toList());
    }

    @Test
    void bodyChangedAfterSigningIsInvalid() throws Exception {
        String signed = rsa(MAIL, "rsa", "relaxed/relaxed", "");
        Outcome o = one(signed.replace("numbers are", "numbers were"));
        assertEquals(Status.INVALID, o.status());
        assertEquals("body hash mismatch", o.reason());
    }

    @Test
    void signedHeaderChangedAfterSigningIsInvalid() throws Exception {
        Outcome o = one(rsa(MAIL, "rsa", "relaxed/relaxed", "").replace("quarterly", "annual"));
        assertEquals(Status.INVALID, o.status());
        assertEquals("signature does not verify", o.reason());
        // an added From below the signed one is what a verifier sees first (last instance): invalid
        String extraFrom = rsa(MAIL, "rsa", "relaxed/relaxed", "").replace("\r\n\r\nHello",
                "\r\nFrom: mallory@evil.test\r\n\r\nHello");
        assertEquals(Status.INVALID, one(extraFrom).status());
    }

    @Test
    void relaxedCanonicalizationSurvivesWhitespaceChangesSimpleDoesNot() throws Exception {
        String relaxed = rsa(MAIL, "rsa", "relaxed/relaxed", "");
        String reformatted = relaxed
                .replace("Subject: quarterly   report", "Subject:  quarterly report \r\n\t ")
                .replace("the numbers are   in.  ", "the numbers\tare in.")
                .replace("Alice\r\n\r\n", "Alice  \r\n\r\n\r\n\r\n");
        assertEquals(Status.VALID, one(reformatted).status());
        String simple = rsa(MAIL, "rsa", "simple/simple", "");
        Outcome changed = one(simple.replace("the numbers are   in.  ", "the numbers\tare in."));
        assertEquals("body hash mismatch", changed.reason());
        assertEquals(Status.VALID, one(simple.replace("Alice\r\n\r\n", "Alice\r\n\r\n\r\n\r\n")).status(),
                "simple ignores trailing empty lines only");
        assertEquals(Status.VALID, one(simple.replace("\r\n", "\n")).status(), "bare LF read as CRLF");
    }

    @Test
    void lengthLimitCoversThePrefixAndMayNotExceedTheBody() throws Exception {
        String signed = rsa(MAIL, "rsa", "relaxed/relaxed", "l=11; ");
        assertEquals(Status.VALID, one(signed.replace("Alice\r\n", "Alice\r\nP.S. appended by a list\r\n")).status(),
                "content past l= is not covered");
        Outcome beyond = one(rsa(MAIL, "rsa", "relaxed/relaxed", "l=100000; "));
        assertEquals(Status.INVALID, beyond.status());
        assertEquals("l= beyond the body", beyond.reason());
        assertEquals("bad l=", one(rsa(MAIL, "rsa", "relaxed/relaxed", "l=-5; ")).reason());
        assertEquals("bad l=", one(signed.replace("l=11;", "l=99999999999999999999999;")).reason());
    }

    @Test
    void expiredSignatureIsInvalid() throws Exception {
        assertEquals("signature expired", one(rsa(MAIL, "rsa", "relaxed/relaxed", "t=1800000000; x=1800000100; "))
                .reason());
        assertEquals(Status.VALID, one(rsa(MAIL, "rsa", "relaxed/relaxed", "t=1800000000; x=1999999999; ")).status());
        assertEquals("x= before t=", one(rsa(MAIL, "rsa", "relaxed/relaxed", "t=1999999999; x=1999999998; "))
                .reason());
    }

    @Test
    void keyRecordProblemsAreInvalidWithTheReason() throws Exception {
        assertEquals("key revoked", one(rsa(MAIL, "revoked", "relaxed/relaxed", "")).reason());
        assertTrue(one(rsa(MAIL, "missing", "relaxed/relaxed", "")).reason().startsWith("no key record"));
        assertEquals("key does not allow sha256", one(rsa(MAIL, "sha1only", "relaxed/relaxed", "")).reason());
        assertEquals("key is not for email", one(rsa(MAIL, "web", "relaxed/relaxed", "")).reason());
        assertEquals("key requires i= to equal d= (t=s)",
                one(rsa(MAIL, "strict", "relaxed/relaxed", "i=alice@sub.signed.test; ")).reason());
        assertEquals(Status.VALID, one(rsa(MAIL, "strict", "relaxed/relaxed", "i=alice@signed.test; ")).status());
        assertEquals("bad key in p=", one(rsa(MAIL, "wrongtype", "relaxed/relaxed", "")).reason());
        KeyPair weak = DkimTestSigner.rsa(512);
        dns.txt("weak._domainkey.signed.test", DkimTestSigner.record(weak.getPublic(), ""));
        String signed = DkimTestSigner.sign(MAIL, weak.getPrivate(), "signed.test", "weak", "relaxed/relaxed",
                "from", "");
        assertEquals("RSA key shorter than 1024 bits", one(signed).reason(), "RFC 8301");
    }

    @Test
    void signatureParametersAreChecked() throws Exception {
        assertEquals("i= is not within d=", one(rsa(MAIL, "rsa", "relaxed/relaxed", "i=a@other.test; ")).reason());
        String noFrom = DkimTestSigner.sign(MAIL, RSA.getPrivate(), "signed.test", "rsa", "relaxed/relaxed",
                "to:subject", "");
        assertEquals("From is not signed", one(noFrom).reason());
        assertEquals("rsa-sha1 is not accepted (RFC 8301)",
                one(rsa(MAIL, "rsa", "relaxed/relaxed", "").replace("a=rsa-sha256", "a=rsa-sha1")).reason());
        assertEquals("unknown canonicalization bogus/relaxed",
                one(rsa(MAIL, "rsa", "relaxed/relaxed", "").replace("c=relaxed/relaxed", "c=bogus/relaxed")).reason());
        assertEquals("unknown query method dns/xyz", one(rsa(MAIL, "rsa", "relaxed/relaxed", "q=dns/xyz; ")).reason());
    }

    @Test
    void hostileSignatureFieldsAreInvalidNeverAnException() throws Exception {
        String huge = "DKIM-Signature: v=1; a=rsa-sha256; d=signed.test; s=rsa; h=from; bh=x; b="
                + "A".repeat(40_000) + "\r\n" + MAIL;
        assertTrue(one(huge).reason().startsWith("DKIM-Signature longer than"), one(huge).reason());
        String brokenBase64 = rsa(MAIL, "rsa", "relaxed/relaxed", "").replaceFirst("; b=", "; b=!!!*");
        assertEquals("b= is not base64", one(brokenBase64).reason());
        assertEquals("malformed tag list", one("DKIM-Signature: garbage without tags\r\n" + MAIL).reason());
        assertEquals("malformed tag list", one("DKIM-Signature: v=1; v=1; a=rsa-sha256\r\n" + MAIL).reason());
        assertEquals("missing bh=", one("DKIM-Signature: v=1; a=rsa-sha256; d=signed.test; s=rsa; h=from; b=AA\r\n"
                + MAIL).reason());
        Outcome control = one("DKIM-Signature: v=1; a=rsa-sha256; d=signed.test; s=rsa\u0001; h=from; bh="
                + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n" + MAIL);
        assertEquals(Status.INVALID, control.status());
        String nested = "DKIM-Signature: v=1; a=rsa-sha256; d=" + "a.".repeat(200) + "test; s=rsa; h=from; bh="
                + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n" + MAIL;
        String manyNames = "DKIM-Signature: v=1; a=rsa-sha256; d=signed.test; s=rsa; h=" + "from:".repeat(2000)
                + "to; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n" + MAIL;
        assertEquals("more than 128 names in h=", one(manyNames).reason());
        Outcome longName = one(nested);
        assertEquals(Status.INVALID, longName.status());
        assertNull(longName.domain(), "an absurd d= is not echoed");
    }

    @Test
    void keyLookupTimeoutIsTemperrorNotValid() throws Exception {
        Outcome o = one(rsa(MAIL, "slow", "relaxed/relaxed", ""));
        assertEquals(Status.TEMPERROR, o.status());
        assertEquals("key lookup timeout", o.reason());
    }

    @Test
    void onlyTheFirstSignaturesAreVerified() throws Exception {
        String signed = MAIL;
        for (int i = 0; i < 8; i++) {
            signed = rsa(signed, "rsa", "relaxed/relaxed", "");
        }
        assertEquals(5, verify(signed).size());
    }

    @Test
    void aLargeSignedBodyVerifiesQuickly() throws Exception {
        StringBuilder body = new StringBuilder();
        while (body.length() < 8_000_000) {
            body.append("line of   text with\ttabs and trailing space   \r\n");
        }
        String big = MAIL.replace("Alice\r\n", "Alice\r\n" + body);
        String signed = rsa(big, "rsa", "relaxed/relaxed", "");
        long start = System.nanoTime();
        assertEquals(Status.VALID, one(signed).status());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 5000, "8 MB relaxed body took " + ms + " ms");
    }

    @Test
    void noSignatureGivesNoOutcome() throws Exception {
        assertEquals(List.of(), verify(MAIL));
    }

    @Test
    void canonicalizationFollowsTheRfc6376Examples() {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertEquals(" C\r\nD E\r\n", DkimBodyHash.canonical(body, true));
        assertEquals(" C \r\nD \t E\r\n", DkimBodyHash.canonical(body, false));
        assertEquals("", DkimBodyHash.canonical("", true));
        assertEquals("\r\n", DkimBodyHash.canonical("", false));
        assertEquals("a:X", DkimCanonicalization.relaxedHeader("A: X"));
        assertEquals("b:Y Z", DkimCanonicalization.relaxedHeader("B : Y\t\r\n\tZ  "));
        assertEquals("c:x\u000b", DkimCanonicalization.relaxedHeader("C: x\u000b "), "only SP and HTAB are WSP");
        assertEquals("DKIM-Signature: v=1; b=; bh=abc", DkimCanonicalization.withoutSignature(
                "DKIM-Signature: v=1; b=xyz\r\n 123; bh=abc"));
    }
}
