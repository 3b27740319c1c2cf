package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.mailauth.dkim.DkimKey;
import io.portcullis.mailauth.dkim.DkimKeyLookup;
import io.portcullis.mailauth.dkim.DkimSigner;
import io.portcullis.mailauth.dkim.DkimVerifier;
import io.portcullis.mailauth.dkim.MailHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's streaming DKIM signing with the shared signer (mail-auth), checked with the shared verifier: a streamed
 * message signs and verifies, bare line ends as the relay writes them, one read when not signing, keys from the
 * configuration and a bad key failing start-up naming the config key. Canonicalization and key checks are tested
 * once, in mail-auth.
 */
class DkimSigningTest {

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

    static byte[] sign(DkimSigning signer, byte[] message) throws Exception {
        OutgoingMessage out = signer.sign(
                () -> new OutgoingMessage(new ByteArrayInputStream(message), message.length), "Q1");
        byte[] bytes = out.stream().readAllBytes();
        assertEquals(out.size(), bytes.length, "size matches the bytes");
        return bytes;
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
    void rsaSha256SignatureVerifiesWithTheSharedVerifier() throws Exception {
        KeyPair pair = rsa();
        DkimSigning signer = new DkimSigning(List.of(new DkimKey("example.org", "s1", pair.getPrivate())),
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
    void bareLineFeedsAreSignedAsTheRelaySendsThem() throws Exception {
        KeyPair pair = ed25519();
        DkimSigning signer = new DkimSigning(List.of(new DkimKey("example.org", "ed", pair.getPrivate())),
                Clock.systemUTC());
        byte[] bare = MESSAGE.replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII);

        byte[] signed = sign(signer, bare);
        // what the relay puts on the wire: bare CR/LF become CRLF
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        SmtpDataOutputStream data = new SmtpDataOutputStream(wire);
        data.write(signed);
        data.finish();
        String onWire = text(wire.toByteArray());
        String unstuffed = onWire.substring(0, onWire.length() - 3).replace("\r\n..", "\r\n.");

        assertEquals(DkimVerifier.Status.VALID, verify(unstuffed.getBytes(StandardCharsets.ISO_8859_1),
                "ed._domainkey.example.org", pair.getPublic()).get(0).status());
    }

    @Test
    void picksTheKeyOfTheFromDomainOrItsParentAndLeavesOthersUnsigned() throws Exception {
        KeyPair pair = ed25519();
        DkimSigning signer = new DkimSigning(List.of(new DkimKey("example.org", "ed", pair.getPrivate())),
                Clock.systemUTC());
        assertTrue(signer.keyFor("mail.example.org").isPresent());
        assertTrue(signer.keyFor("example.com").isEmpty());

        byte[] other = MESSAGE.replace("alice@example.org", "alice@other.test").getBytes(StandardCharsets.US_ASCII);
        AtomicInteger opened = new AtomicInteger();
        OutgoingMessage out = signer.sign(() -> {
            opened.incrementAndGet();
            return new OutgoingMessage(new ByteArrayInputStream(other), other.length);
        }, "Q2");
        assertEquals(text(other), text(out.stream().readAllBytes()), "unsigned, unchanged");
        assertEquals(1, opened.get(), "opened once when not signing");
    }

    @Test
    void readsPkcs8PemKeysFromConfiguration() throws Exception {
        Path rsaFile = dir.resolve("rsa.pem");
        Files.writeString(rsaFile, pem(rsa()));
        Path edFile = dir.resolve("ed.pem");
        Files.writeString(edFile, pem(ed25519()));

        DkimSigning signer = DkimSigning.fromConfig(Optional.of(List.of("example.org:s1:" + rsaFile,
                "Example.NET:ed:" + edFile)));

        assertEquals(DkimKey.Algorithm.RSA_SHA256, signer.keyFor("example.org").orElseThrow().algorithm());
        assertEquals(DkimKey.Algorithm.ED25519_SHA256, signer.keyFor("example.net").orElseThrow().algorithm());
        assertFalse(DkimSigning.fromConfig(Optional.empty()).enabled());
    }

    @Test
    void badKeysFailStartUpNamingTheConfigKey() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        // the cases of unusable keys are tested with the signer in mail-auth (DkimSignerTest)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DkimSigning.fromConfig(Optional.of(List.of("example.org:s1:" + garbage))));
        assertEquals("portcullis.delivery.dkim-keys: key example.org:s1 (" + garbage + ") is neither an RSA nor an "
                + "Ed25519 PKCS#8 key", e.getMessage());
    }
}
