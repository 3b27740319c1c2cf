package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.junit.jupiter.api.Test;

class NotificationBuilderTest {

    private final NotificationBuilder builder = new NotificationBuilder("postmaster@edge.test", "edge.test");

    @Test
    void nonAsciiValuesAreEncodedSoTheNoticeIsSevenBit() throws Exception {
        DeliveryStatusNotification n = builder.build("b@example.com", BuiltInNotificationTemplates.DEFAULT_TEMPLATE,
                Map.of("subject", "Grüße aus Köln", "messageId", "M1", "action", "DELIVER"), "M1", Instant.now());

        String all = n.headers().toString() + n.body();
        assertTrue(all.chars().allMatch(c -> c < 128), "every header value and the body are ASCII");
        assertTrue(n.header("Subject").startsWith("=?"), n.header("Subject"));
        String decoded = new String(new QuotedPrintableInputStream(new ByteArrayInputStream(
                n.body().replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII))).readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(decoded.contains("Subject:    Grüße aus Köln"), decoded);
        assertTrue(n.body().lines().allMatch(l -> l.length() <= 76));
    }

    @Test
    void placeholderValuesLoseEveryControlCharacter() {
        assertEquals("a b  c", NotificationBuilder.fill("{subject}", Map.of("subject", "a\rb\n\u0000c")));
        assertEquals("x {unknown} ", NotificationBuilder.fill("x {unknown} {rule}", Map.of()));
        assertEquals("a b", NotificationBuilder.oneLine("a\u2028b"));
    }

    @Test
    void onlyPlainAddressesAreAccepted() {
        assertTrue(NotificationBuilder.validAddress("ops@example.com"));
        assertFalse(NotificationBuilder.validAddress("ops@example.com>\r\nRCPT TO:<x@y.z"));
        assertFalse(NotificationBuilder.validAddress("<ops@example.com>"));
        assertFalse(NotificationBuilder.validAddress("ops"));
        assertFalse(NotificationBuilder.validAddress(null));
        assertThrows(IllegalArgumentException.class, () -> builder.build("a b@example.com",
                BuiltInNotificationTemplates.DEFAULT_TEMPLATE, Map.of(), "M", Instant.now()));
    }

    @Test
    void aBadAdminAddressFailsStartUpAndBlankMeansUnset() {
        assertThrows(IllegalArgumentException.class, () -> PolicyNotifier.adminAddress(Optional.of("not an address")));
        assertEquals(Optional.empty(), PolicyNotifier.adminAddress(Optional.of("  ")));
        assertEquals(Optional.of("ops@example.com"), PolicyNotifier.adminAddress(Optional.of(" ops@example.com ")));
        assertEquals("postmaster@edge.example", PolicyNotifier.postmaster("MAILER-DAEMON@edge.example"));
        assertEquals("postmaster@localhost", PolicyNotifier.postmaster("nobody"));
    }

    @Test
    void aLongNonAsciiSubjectStaysOneHeaderLine() {
        DeliveryStatusNotification n = builder.build("b@example.com",
                new NotificationTemplate("t", "{subject}", "x"), Map.of("subject", "Äpfel und Birnen ".repeat(30)),
                "M1", Instant.now());

        String subject = n.header("Subject");
        assertFalse(subject.contains("\r") || subject.contains("\n"), subject);
        assertTrue(subject.chars().allMatch(c -> c < 128));
    }
}
