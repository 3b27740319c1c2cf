package io.portcullis.scanner.engine.senders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FromAddressesTest {

    private static List<String> from(String raw) {
        return FromAddresses.of(raw.getBytes(StandardCharsets.UTF_8)).addresses().stream()
                .map(MailAddress::address).toList();
    }

    @Test
    void readsTheAddressListOfTheFromField() {
        assertEquals(List.of("alice@partner.example"), from("From: Alice <Alice@Partner.Example>\r\n\r\nbody"));
        assertEquals(List.of("a@x.example", "b@y.example"), from("From: a@x.example, \"B, Bob\" <b@y.example>\n\nx"));
        assertEquals(List.of("x@y.example", "z@w.example"), from("From: grp: x@y.example, z@w.example;\n\n"));
        assertEquals(List.of("a@b.example"), from("From: <@r1.example,@r2.example:a@b.example>\n\n"));
        assertEquals(List.of("john doe@x.example"), from("From: \"john doe\"@x.example\n\n"));
        assertEquals(List.of("j\u00fcrgen@xn--bcher-kva.example"), from("From: J\u00fcrgen <J\u00fcrgen@b\u00fccher.example>\n\n"));
    }

    @Test
    void stopsAtTheEndOfTheHeaderAndCountsFields() {
        FromAddresses.Result r = FromAddresses.of("Subject: x\nFrom: a@x.example\nfrom: b@y.example\n\nFrom: c@z.example\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(2, r.fields());
        assertEquals(List.of("a@x.example", "b@y.example"), r.addresses().stream().map(MailAddress::address).toList());
        assertEquals(List.of(), from("\r\nFrom: a@x.example\r\n"), "a message without header has no From");
        assertEquals(List.of(), from("From a@x.example Mon Jan  1 00:00:00 2026\nSubject: mbox line\n\n"));
        assertEquals(List.of("a@x.example"), from("From: a@x.example"), "no body at all");
    }

    @Test
    void boundsTheNumberOfAddresses() {
        StringBuilder many = new StringBuilder("From: ");
        for (int i = 0; i < 500; i++) {
            many.append("a").append(i).append("@x.example,");
        }
        assertEquals(FromAddresses.MAX_ADDRESSES, from(many + "\n\n").size());
    }

    @Test
    void addressSenderKeysGoFromSpecificToWildcards() {
        MailAddress a = MailAddress.parse("Bob@Mail.Partner.Example.").orElseThrow();
        assertEquals(List.of("bob@mail.partner.example", "mail.partner.example", "*.mail.partner.example",
                "*.partner.example", "*.example"), a.senderKeys());
        assertEquals("b***@mail.partner.example", a.masked());
        assertEquals(Optional.empty(), MailAddress.parse(""));
        assertEquals(Optional.empty(), MailAddress.parse("<>"));
        assertEquals(Optional.empty(), MailAddress.parse("nobody"));
        assertEquals(Optional.empty(), MailAddress.parse("a@[192.0.2.1]"));
        assertEquals(Optional.empty(), MailAddress.parse("a@"));
        assertEquals(Optional.empty(), MailAddress.parse("x".repeat(2000) + "@x.example"));
        assertTrue(MailAddress.parse("a@x\u3002example").orElseThrow().domain().equals("x.example"));
    }
}
