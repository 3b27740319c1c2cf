package io.portcullis.edge.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailPathTest {

    @Test
    void parsesAddressDomainAndParameters() {
        MailPath path = MailPath.parse("<User.Name+tag@Example.COM> SIZE=100 BODY=8BITMIME", true).orElseThrow();
        assertEquals("User.Name+tag@Example.COM", path.address());
        assertEquals("example.com", path.domain());
        assertEquals("SIZE=100 BODY=8BITMIME", path.rest());
        assertFalse(path.nonAscii());
    }

    @Test
    void nullSenderOnlyWhereAllowed() {
        assertTrue(MailPath.parse("<>", true).orElseThrow().isNull());
        assertTrue(MailPath.parse("<>", false).isEmpty());
    }

    @Test
    void toleratesSpaceAfterColonAndIgnoresSourceRoute() {
        assertEquals("a@b.test", MailPath.parse("  <a@b.test>", false).orElseThrow().address());
        assertEquals("a@b.test", MailPath.parse("<@relay.test,@r2.test:a@b.test>", false).orElseThrow().address());
    }

    @Test
    void acceptsQuotedLocalPartAddressLiteralAndUtf8() {
        assertEquals("\"john doe\"@b.test", MailPath.parse("<\"john doe\"@b.test>", false).orElseThrow().address());
        assertEquals("[192.0.2.1]", MailPath.parse("<a@[192.0.2.1]>", false).orElseThrow().domain());
        MailPath utf8 = MailPath.parse("<用户@例子.测试>", false).orElseThrow();
        assertTrue(utf8.nonAscii());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.test", "<a@b.test", "<a>", "<@b.test>", "<a@>", "<a..b@c.test>", "<a@-b.test>",
        "<a@b..test>", "<a b@c.test>", "<a@b.test>x", "<a@[300.1.1.1]>", "<<a@b.test>>", "<a@b.test\u0001>",
        "<\"unterminated@b.test>"})
    void rejectsMalformedPaths(String text) {
        assertTrue(MailPath.parse(text, true).isEmpty(), text);
    }

    @Test
    void rejectsOverlongParts() {
        assertTrue(MailPath.parse("<" + "a".repeat(65) + "@b.test>", false).isEmpty());
        assertTrue(MailPath.parse("<a@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "."
                + "e".repeat(60) + "." + "f".repeat(60) + ".test>", false).isEmpty());
    }
}
