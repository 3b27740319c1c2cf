package io.portcullis.edge.ipblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.edge.smtp.protocol.SmtpReply;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpBlockGateTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static IpBlock block(IpBlock.Response response, String reason) {
        return new IpBlock("192.0.2.1", IpBlock.Kind.VIRUS, 3, 600, Instant.now(), Instant.now().plusSeconds(60),
                response, reason);
    }

    private IpBlockGate gate(IpBlock block) {
        return new IpBlockGate(ip -> "192.0.2.1".equals(ip) ? Optional.of(block) : Optional.empty(), registry);
    }

    @Test
    void tempfailBlockRefusesAtConnectWith421AndTheReason() {
        IpBlockGate gate = gate(block(IpBlock.Response.TEMPFAIL, "Too many viruses from 192.0.2.1"));
        assertEquals("421 4.7.0 Too many viruses from 192.0.2.1\r\n", gate.atConnect("192.0.2.1").orElseThrow().render());
        assertEquals(Optional.empty(), gate.atRecipient("192.0.2.1"), "TEMPFAIL is enforced at connect only");
        assertEquals(Optional.empty(), gate.atConnect("192.0.2.2"));
        assertEquals(1, registry.get("portcullis.ipblock.refusals").tags("kind", "virus", "response", "tempfail")
                .counter().count());
    }

    @Test
    void rejectBlockRefusesEveryRcptWith550AndTheReason() {
        IpBlockGate gate = gate(block(IpBlock.Response.REJECT, "Directory harvest"));
        assertEquals(Optional.empty(), gate.atConnect("192.0.2.1"), "REJECT lets the client in to see the reason");
        assertEquals("550 5.7.1 Directory harvest\r\n", gate.atRecipient("192.0.2.1").orElseThrow().render());
        gate.atRecipient("192.0.2.1");
        assertEquals(2, registry.get("portcullis.ipblock.refusals").tags("kind", "virus", "response", "reject")
                .counter().count());
    }

    @Test
    void hostileReasonsBecomeOneBoundedPrintableAsciiLine() {
        String[] hostile = {
            "blocked\r\n250 2.0.0 Ok\r\n",
            "blocked\n221 Bye",
            "blocked\rX",
            "bl\u0000ock\u0007ed\u001b[31m",
            "bl\u00f6cked \u202e\u0645\u2028end",
            "x".repeat(100_000),
            "\t \r\n ",
            "",
            null,
        };
        for (String reason : hostile) {
            for (IpBlock.Response response : IpBlock.Response.values()) {
                IpBlockGate gate = gate(block(response, reason));
                SmtpReply reply = response == IpBlock.Response.TEMPFAIL ? gate.atConnect("192.0.2.1").orElseThrow()
                        : gate.atRecipient("192.0.2.1").orElseThrow();
                String wire = reply.render();
                assertTrue(wire.endsWith("\r\n"));
                String line = wire.substring(0, wire.length() - 2);
                assertFalse(line.contains("\r") || line.contains("\n"), line);
                assertTrue(line.chars().allMatch(c -> c >= 32 && c < 127), line);
                assertTrue(line.length() <= 10 + 200, "bounded: " + line.length());
                assertEquals(1, reply.lines().size());
                assertFalse(reply.lines().get(0).isBlank());
            }
        }
        assertEquals("550 5.7.1 blocked 250 2.0.0 Ok\r\n",
                gate(block(IpBlock.Response.REJECT, "blocked\r\n250 2.0.0 Ok\r\n")).atRecipient("192.0.2.1")
                        .orElseThrow().render());
        assertEquals("550 5.7.1 " + IpBlockGate.REJECT_FALLBACK,
                gate(block(IpBlock.Response.REJECT, " \r\n")).atRecipient("192.0.2.1").orElseThrow().render().trim());
    }
}
