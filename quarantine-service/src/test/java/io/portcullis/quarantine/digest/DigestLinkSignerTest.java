package io.portcullis.quarantine.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.quarantine.digest.LinkRefused.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DigestLinkSignerTest {
    private static final String KEY = "k".repeat(32);
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final DigestLinkSigner signer = new DigestLinkSigner(KEY, Clock.fixed(NOW, ZoneOffset.UTC));
    private final DigestLink link = new DigestLink(UUID.randomUUID(), "q1234abcd", "alice@corp.example",
            DigestAction.RELEASE, NOW.plusSeconds(3600));

    private static Reason reason(Runnable r) {
        return assertThrows(LinkRefused.class, r::run).reason();
    }

    @Test
    void verifiesWhatItSigned() {
        assertEquals(link, signer.verify(signer.sign(link)));
    }

    @Test
    void refusesAnExpiredLink() {
        DigestLink old = new DigestLink(UUID.randomUUID(), "q1234abcd", "alice@corp.example", DigestAction.DELETE,
                NOW.minusSeconds(1));
        assertEquals(Reason.EXPIRED, reason(() -> signer.verify(signer.sign(old))));
        DigestLink now = new DigestLink(UUID.randomUUID(), "q1234abcd", "alice@corp.example", DigestAction.DELETE, NOW);
        assertEquals(Reason.EXPIRED, reason(() -> signer.verify(signer.sign(now))));
    }

    @Test
    void refusesALinkSignedWithAnotherKey() {
        DigestLinkSigner other = new DigestLinkSigner("x".repeat(32), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Reason.INVALID, reason(() -> signer.verify(other.sign(link))));
    }

    @Test
    void refusesEveryAlteredByteOfPayloadOrSignature() {
        String token = signer.sign(link);
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            char replacement = token.charAt(i) == 'A' ? 'B' : 'A';
            String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
            LinkRefused refused = assertThrows(LinkRefused.class, () -> signer.verify(tampered), "byte " + i);
            assertEquals(Reason.INVALID, refused.reason(), "byte " + i);
        }
    }

    @Test
    void refusesAPayloadRewrittenToAnotherActionOrRecipientOrExpiry() {
        String token = signer.sign(link);
        String signature = token.substring(token.indexOf('.') + 1);
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        for (String forged : new String[] {payload.replace("release", "delete"),
                payload.replace("alice@corp.example", "bob@corp.example"),
                payload.replace(Long.toString(link.expiresAt().getEpochSecond()), "99999999999")}) {
            String encoded = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(forged.getBytes(StandardCharsets.UTF_8));
            assertEquals(Reason.INVALID, reason(() -> signer.verify(encoded + "." + signature)));
        }
    }

    @Test
    void refusesMalformedTokens() {
        for (String bad : new String[] {null, "", ".", "abc", "a.b", "x".repeat(2000) + "." + "A".repeat(43),
                "AAAAAAAA." + "A".repeat(43), "AAAAAAAA." + "A".repeat(42) + "=", "<script>." + "A".repeat(43)}) {
            assertEquals(Reason.INVALID, reason(() -> signer.verify(bad)), String.valueOf(bad));
        }
    }

    @Test
    void refusesShortKeysAndAnswersUnavailableWithoutAKey() {
        assertThrows(IllegalArgumentException.class, () -> new DigestLinkSigner("short", Clock.systemUTC()));
        DigestLinkSigner none = new DigestLinkSigner(null, Clock.systemUTC());
        assertEquals(Reason.UNAVAILABLE, reason(() -> none.verify("x")));
    }
}
