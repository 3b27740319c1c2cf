package io.portcullis.edge.ipblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IpBlockMapTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    /** A clock tests can move. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static IpBlock block(String ip, IpBlock.Response response, Instant until, String reason) {
        return new IpBlock(ip, IpBlock.Kind.HARVEST, 50, 600, until.minusSeconds(3600), until, response, reason);
    }

    static byte[] json(IpBlock block) {
        return EventJson.write(block);
    }

    private MutableClock clock;
    private IpBlockMap map;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        map = new IpBlockMap(clock);
    }

    @Test
    void appliesABlockAndAnswersLookups() {
        IpBlock b = block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(60), "harvest");
        assertEquals(IpBlockMap.Outcome.BLOCKED, map.apply("192.0.2.7", json(b)));
        assertEquals(Optional.of(b), map.activeBlock("192.0.2.7"));
        assertEquals(Optional.empty(), map.activeBlock("192.0.2.8"));
        assertEquals(1, map.activeCount());
    }

    @Test
    void laterRecordReplacesEarlierOne() {
        map.apply("192.0.2.7", json(block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(60), "first")));
        IpBlock second = block("192.0.2.7", IpBlock.Response.TEMPFAIL, NOW.plusSeconds(600), "second");
        map.apply("192.0.2.7", json(second));
        assertEquals(Optional.of(second), map.activeBlock("192.0.2.7"));
        assertEquals(1, map.size());
    }

    @Test
    void tombstoneLiftsTheBlock() {
        map.apply("192.0.2.7", json(block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(60), "x")));
        assertEquals(IpBlockMap.Outcome.LIFTED, map.apply("192.0.2.7", null));
        assertEquals(Optional.empty(), map.activeBlock("192.0.2.7"));
        assertEquals(0, map.size());
        assertEquals(IpBlockMap.Outcome.LIFTED, map.apply("192.0.2.99", null), "tombstone of an unknown IP is fine");
    }

    @Test
    void expiredBlockCountsAsAbsentBeforeItsTombstone() {
        map.apply("192.0.2.7", json(block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(60), "x")));
        clock.advance(Duration.ofSeconds(59));
        assertTrue(map.activeBlock("192.0.2.7").isPresent());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), map.activeBlock("192.0.2.7"), "until is exclusive");
        assertEquals(0, map.activeCount());
        assertEquals(0, map.size(), "the lookup dropped the ended entry");
    }

    @Test
    void recordThatEndedAlreadyRemovesTheEntry() {
        map.apply("192.0.2.7", json(block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(600), "x")));
        assertEquals(IpBlockMap.Outcome.EXPIRED,
                map.apply("192.0.2.7", json(block("192.0.2.7", IpBlock.Response.REJECT, NOW, "over"))));
        assertEquals(Optional.empty(), map.activeBlock("192.0.2.7"));
        assertEquals(0, map.size());
    }

    @Test
    void purgeDropsEndedEntries() {
        map.apply("192.0.2.1", json(block("192.0.2.1", IpBlock.Response.REJECT, NOW.plusSeconds(10), "a")));
        map.apply("192.0.2.2", json(block("192.0.2.2", IpBlock.Response.REJECT, NOW.plusSeconds(100), "b")));
        clock.advance(Duration.ofSeconds(50));
        assertEquals(1, map.purgeExpired());
        assertEquals(1, map.size());
        assertTrue(map.activeBlock("192.0.2.2").isPresent());
    }

    @Test
    void malformedRecordsAreSkippedAndKeepTheLastGoodEntry() {
        IpBlock good = block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(60), "x");
        map.apply("192.0.2.7", json(good));
        byte[][] bad = {
            "not json".getBytes(StandardCharsets.UTF_8),
            "null".getBytes(StandardCharsets.UTF_8),
            "[]".getBytes(StandardCharsets.UTF_8),
            "{\"ip\":\"192.0.2.7\",\"response\":\"REJECT\"}".getBytes(StandardCharsets.UTF_8),
            "{\"ip\":\"192.0.2.7\",\"until\":\"2026-11-27T11:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
            "{\"ip\":\"192.0.2.7\",\"until\":\"tomorrow\",\"response\":\"REJECT\"}".getBytes(StandardCharsets.UTF_8),
            "{\"ip\":\"192.0.2.7\",\"until\":\"2026-11-27T11:00:00Z\",\"response\":\"DROP\"}"
                    .getBytes(StandardCharsets.UTF_8),
            json(block("192.0.2.8", IpBlock.Response.TEMPFAIL, NOW.plusSeconds(60), "ip field names another IP")),
            new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1},
            new byte[0],
        };
        for (byte[] value : bad) {
            assertEquals(IpBlockMap.Outcome.MALFORMED, map.apply("192.0.2.7", value),
                    new String(value, StandardCharsets.UTF_8));
        }
        assertEquals(Optional.of(good), map.activeBlock("192.0.2.7"));
        for (String key : new String[] {null, "", "mail.example.com", "192.0.2.300"}) {
            assertEquals(IpBlockMap.Outcome.MALFORMED,
                    map.apply(key, json(block(key, IpBlock.Response.REJECT, NOW.plusSeconds(60), "x"))), key);
            assertEquals(IpBlockMap.Outcome.MALFORMED, map.apply(key, null), "tombstone with key " + key);
        }
        assertEquals(1, map.size());
    }

    @Test
    void unknownFieldsAndMissingOptionalFieldsAreAccepted() {
        byte[] value = ("{\"until\":\"2026-11-27T11:00:00Z\",\"response\":\"TEMPFAIL\",\"future\":42}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(IpBlockMap.Outcome.BLOCKED, map.apply("192.0.2.9", value));
        assertEquals(IpBlock.Response.TEMPFAIL, map.activeBlock("192.0.2.9").orElseThrow().response());
    }

    @Test
    void ipv4MappedIpv6ClientsFindIpv4Blocks() {
        map.apply("192.0.2.7", json(block("192.0.2.7", IpBlock.Response.REJECT, NOW.plusSeconds(60), "x")));
        assertTrue(map.activeBlock("::ffff:192.0.2.7").isPresent());
        assertTrue(map.activeBlock("0:0:0:0:0:ffff:c000:207").isPresent());
        assertTrue(map.activeBlock("[::ffff:192.0.2.7]").isPresent());
    }

    @Test
    void ipv6KeysAreNormalisedOnBothSides() {
        map.apply("2001:0db8:0:0:0:0:0:0001",
                json(block("2001:db8::1", IpBlock.Response.TEMPFAIL, NOW.plusSeconds(60), "x")));
        assertTrue(map.activeBlock("2001:db8::1").isPresent());
        assertTrue(map.activeBlock("2001:DB8:0:0:0:0:0:1").isPresent());
        assertEquals(IpBlockMap.Outcome.LIFTED, map.apply("2001:db8::0:1", null));
        assertEquals(Optional.empty(), map.activeBlock("2001:db8::1"));
    }

    @Test
    void nonIpClientAddressIsNeverBlocked() {
        assertEquals(Optional.empty(), map.activeBlock("unknown"));
        assertEquals(Optional.empty(), map.activeBlock(null));
    }
}
