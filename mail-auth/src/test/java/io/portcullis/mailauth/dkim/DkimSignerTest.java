package io.portcullis.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DKIM signing (moved from edge-smtp with the signer), checked with the verifier: RSA and Ed25519, refolded header
 * fields, bare line ends, over-signed From, and keys that must fail start-up. Signer and verifier share
 * {@link DkimCanonicalization} and {@link DkimBodyHash}; DkimVerifierTest checks those against the RFC 8463 vector and
 * an independently written test signer.
 */
class DkimSignerTest {

    static final String MESSAGE = "Received: from client by edge\r\n"
            + "From: Alice Example <alice@example.org>\r\n"
            + "To: Bob <bob@example.com>, Carol <carol@example.net>\r\n"
            + "Subject: quarterly report with a rather long subject line\r\n"
            + "Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <m1@example.org>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain;\r\n\tcharset=us-ascii\r\n"
            + "\r\n"
            + "Hello  Bob,\t \r\n"
            + ".leading dot\r\n"
            + "  indented line\r\n"
            + "\r\n"
            + "regards\r\n"
            + "\r\n\r\n";

    @TempDir
    Path dir;

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** The DNS TXT record a domain publishes for a public key. */
    static String record(PublicKey key) {
        return DkimSigner.keyRecord(key);
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    static byte[] sign(DkimSigner signer, byte[] message) {
        return signer.sign(message);
    }

    static List<DkimVerifier.Outcome> verify(byte[] message, String selectorDomain, PublicKey key)
            throws InterruptedException {
        return new DkimVerifier(DkimKeyLookup.of(Map.of(selectorDomain, record(key))), 5)
                .verify(MailHeaders.parse(message), System.currentTimeMillis() / 1000, Long.MAX_VALUE);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void rsaSha256SignatureVerifies() throws Exception {
        KeyPair pair = rsa();
        DkimSigner signer = new DkimSigner(List.of(new DkimKey("example.org", "s1", pair.getPrivate())),
                Clock.systemUTC());

        byte[] signed = sign(signer, MESSAGE.getBytes(StandardCharsets.US_ASCII));

        String header = text(signed);
        assertTrue(header.startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;"));
        assertTrue(header.replace("\r\n\t", "")
                .contains("h=from:to:subject:date:message-id:mime-version:content-type:from;"), header);
        assertTrue(header.endsWith(MESSAGE), "the message follows unchanged");
        List<DkimVerifier.Outcome> outcomes = verify(signed, "s1._domainkey.example.org", pair.getPublic());
        assertEquals(DkimVerifier.Status.VALID, outcomes.get(0).status(), outcomes.toString());
    }

    @Test
    void ed25519SignatureVerifies() throws Exception {
        KeyPair pair = ed25519();
        DkimSigner signer = new DkimSigner(List.of(new DkimKey("example.org", "ed", pair.getPrivate())),
                Clock.systemUTC());

        byte[] signed = sign(signer, MESSAGE.getBytes(StandardCharsets.US_ASCII));

        assertTrue(text(signed).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;"));
        assertEquals(DkimVerifier.Status.VALID,
                verify(signed, "ed._domainkey.example.org", pair.getPublic()).get(0).status());
    }

    @Test
    void signatureSurvivesRefoldingAndWhitespaceChangesByARelay() throws Exception {
        KeyPair pair = rsa();
        DkimSigner signer = new DkimSigner(List.of(new DkimKey("example.org", "s1", pair.getPrivate())),
                Clock.systemUTC());
        String signed = text(sign(signer, MESSAGE.getBytes(StandardCharsets.US_ASCII)));

        String refolded = signed
                .replace("Subject: quarterly report with", "Subject:   quarterly report\r\n\twith")
                .replace("To: Bob <bob@example.com>, Carol", "To: Bob <bob@example.com>,\r\n  Carol")
                .replace("Content-Type: text/plain;\r\n\tcharset=us-ascii", "Content-Type: text/plain; charset=us-ascii")
                .replace("regards\r\n", "regards   \r\n");

        assertFalse(refolded.equals(signed));
        assertEquals(DkimVerifier.Status.VALID, verify(refolded.getBytes(StandardCharsets.ISO_8859_1),
                "s1._domainkey.example.org", pair.getPublic()).get(0).status());
    }

    @Test
    void changedBodyOrAddedFromBreaksTheSignature() throws Exception {
        KeyPair pair = ed25519();
        DkimSigner signer = new DkimSigner(List.of(new DkimKey("example.org", "ed", pair.getPrivate())),
                Clock.systemUTC());
        String signed = text(sign(signer, MESSAGE.getBytes(StandardCharsets.US_ASCII)));

        String body = signed.replace("regards", "regardz");
        assertEquals("body hash mismatch", verify(body.getBytes(StandardCharsets.ISO_8859_1),
                "ed._domainkey.example.org", pair.getPublic()).get(0).reason());
        // From is over-signed: a second From added above invalidates the signature
        String extraFrom = signed.replace("Received:", "From: mallory@evil.test\r\nReceived:");
        assertEquals(DkimVerifier.Status.INVALID, verify(extraFrom.getBytes(StandardCharsets.ISO_8859_1),
                "ed._domainkey.example.org", pair.getPublic()).get(0).status());
    }

    @Test
    void bareLineFeedsAreSignedAsTheRelaySendsThem() throws Exception {
        KeyPair pair = ed25519();
        DkimSigner signer = new DkimSigner(List.of(new DkimKey("example.org", "ed", pair.getPrivate())),
                Clock.systemUTC());
        byte[] bare = MESSAGE.replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII);

        byte[] signed = sign(signer, bare);
        // the relay sends bare LF as CRLF; edge-smtp's DkimSigningTest checks the bytes on the wire
        String onWire = text(signed).replace("\r\n", "\n").replace("\n", "\r\n");

        assertEquals(DkimVerifier.Status.VALID, verify(onWire.getBytes(StandardCharsets.ISO_8859_1),
                "ed._domainkey.example.org", pair.getPublic()).get(0).status());
    }

    @Test
    void relaxedBodyHashMatchesRfc6376ForEmptyAndTrailingLines() {
        DkimBodyHash empty = DkimBodyHash.relaxedAsSent();
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                Base64.getEncoder().encodeToString(empty.digest()), "sha256 of the empty string");
        DkimBodyHash a = DkimBodyHash.relaxedAsSent();
        byte[] one = "a  b \t\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        a.update(one, 0, one.length);
        DkimBodyHash b = DkimBodyHash.relaxedAsSent();
        byte[] two = "a b".getBytes(StandardCharsets.US_ASCII);
        b.update(two, 0, two.length);
        assertEquals(Base64.getEncoder().encodeToString(a.digest()), Base64.getEncoder().encodeToString(b.digest()));
    }

    @Test
    void picksTheKeyOfTheFromDomainOrItsParentAndLeavesOthersUnsigned() throws Exception {
        KeyPair pair = ed25519();
        DkimSigner signer = new DkimSigner(List.of(new DkimKey("example.org", "ed", pair.getPrivate())),
                Clock.systemUTC());
        assertTrue(signer.keyFor("mail.example.org").isPresent());
        assertTrue(signer.keyFor("example.com").isEmpty());

        byte[] other = MESSAGE.replace("alice@example.org", "alice@other.test").getBytes(StandardCharsets.US_ASCII);
        assertEquals(text(other), text(signer.sign(other)), "unsigned, unchanged");
        byte[] twoFroms = MESSAGE.replace("To:", "From: bob@example.org\r\nTo:").getBytes(StandardCharsets.US_ASCII);
        assertEquals(text(twoFroms), text(signer.sign(twoFroms)), "two From fields: unsigned");
    }

    @Test
    void readsPkcs8PemKeysFromConfiguration() throws Exception {
        Path rsaFile = dir.resolve("rsa.pem");
        Files.writeString(rsaFile, pem(rsa()));
        Path edFile = dir.resolve("ed.pem");
        Files.writeString(edFile, pem(ed25519()));

        DkimSigner signer = DkimSigner.fromEntries(List.of("example.org:s1:" + rsaFile,
                "Example.NET:ed:" + edFile, " "), Clock.systemUTC());

        assertEquals(DkimKey.Algorithm.RSA_SHA256, signer.keyFor("example.org").orElseThrow().algorithm());
        assertEquals(DkimKey.Algorithm.ED25519_SHA256, signer.keyFor("example.net").orElseThrow().algorithm());
        assertFalse(DkimSigner.fromEntries(List.of(), Clock.systemUTC()).enabled());
    }

    @Test
    void badKeysFailStartUpNamingTheEntry() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path pkcs1 = dir.resolve("pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(512);
        Path weak = dir.resolve("weak.pem");
        Files.writeString(weak, pem(small.generateKeyPair()));

        for (String[] c : new String[][] {
                {"example.org:s1:" + missing, "cannot read key file"},
                {"example.org:s1:" + pkcs1, "PKCS#1"},
                {"example.org:s1:" + garbage, "neither an RSA nor an Ed25519"},
                {"example.org:s1:" + weak, "at least 1024"},
                {"example.org:" + weak, "expected domain:selector:/path/key.pem"},
                {"bad domain:s1:" + weak, "is not a domain name"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DkimSigner.fromEntries(List.of(c[0]), Clock.systemUTC()), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
