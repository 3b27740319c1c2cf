package io.portcullis.policy.ipprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpProfilerCommand;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpProfilerViewTest {
    private static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");

    private static byte[] block(String ip, Instant until) {
        return EventJson.write(new IpBlock(ip, IpBlock.Kind.SPAM, 20, 3600, NOW.minusSeconds(60), until,
                IpBlock.Response.TEMPFAIL, "too many spam messages"));
    }

    private static byte[] command(String ip, IpProfilerCommand.Type type) {
        return EventJson.write(new IpProfilerCommand("c-" + ip + type, ip, type, "root", NOW, null));
    }

    @Test
    void followsTombstonesAndHidesExpiredBlocksBeforeTheirTombstone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IpProfilerView view = new IpProfilerView(registry, Clock.fixed(NOW, ZoneOffset.UTC));
        view.applyBlock("203.0.113.9", block("203.0.113.9", NOW.plusSeconds(3600)));
        view.applyBlock("198.51.100.1", block("198.51.100.1", NOW.plusSeconds(60)));
        view.applyBlock("192.0.2.1", block("192.0.2.1", NOW)); // ends now: no longer in force
        view.applyBlock("192.0.2.2", "not json".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("198.51.100.1", "203.0.113.9"), view.activeBlocks().stream().map(IpBlock::ip).toList());
        assertEquals(2.0, registry.get("portcullis.ipprofiler.blocks.active").gauge().value());
        view.applyBlock("203.0.113.9", null);
        assertEquals(List.of("198.51.100.1"), view.activeBlocks().stream().map(IpBlock::ip).toList());
        assertEquals(1.0, registry.get("portcullis.ipprofiler.blocks.active").gauge().value());
    }

    @Test
    void theAllowListIsTheKeysWhoseLatestCommandIsAllow() {
        IpProfilerView view = new IpProfilerView(new SimpleMeterRegistry(), Clock.fixed(NOW, ZoneOffset.UTC));
        view.applyCommand("198.51.100.0/24", command("198.51.100.0/24", IpProfilerCommand.Type.ALLOW));
        view.applyCommand("192.0.2.1", command("192.0.2.1", IpProfilerCommand.Type.ALLOW));
        view.applyCommand("192.0.2.1", command("192.0.2.1", IpProfilerCommand.Type.DISALLOW));
        view.applyCommand("203.0.113.9", command("203.0.113.9", IpProfilerCommand.Type.UNBLOCK));
        view.applyCommand("2001:db8::/32", "{\"ip\":".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("198.51.100.0/24"), view.allowList().stream().map(IpProfilerCommand::ip).toList());
        assertTrue(view.allowEntry("198.51.100.0/24").isPresent());
        assertTrue(view.allowEntry("192.0.2.1").isEmpty());
        view.applyCommand("198.51.100.0/24", null);
        assertTrue(view.allowList().isEmpty());
    }
}
