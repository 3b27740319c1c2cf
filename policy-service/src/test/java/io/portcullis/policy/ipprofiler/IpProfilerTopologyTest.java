package io.portcullis.policy.ipprofiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpBlock.Kind;
import io.portcullis.contracts.events.IpProfilerCommand;
import io.portcullis.contracts.events.RecipientRejected;
import io.portcullis.contracts.events.Topics;
import io.portcullis.contracts.events.VerdictIssued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IP Profiler topology on the TopologyTestDriver: counting, windows, duplicates, blocks, lifts, bad input. */
class IpProfilerTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    private static final String IP = "203.0.113.9";

    private final Path stateDir = Path.of("target", "ip-profiler-state", UUID.randomUUID().toString());

    private ProfilerMetrics metrics;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> verdicts;
    private TestInputTopic<String, byte[]> smtpEvents;
    private TestInputTopic<String, byte[]> control;
    private TestOutputTopic<String, String> blocks;

    /** Small thresholds so tests stay short: spam 3/1h → 1h TEMPFAIL, virus 2/1h → 4h, harvest 4/10min → 1h REJECT, bounce 3/1h. */
    static ProfilerSettings settings(List<IpRange> exempt) {
        Map<Kind, KindLimit> limits = new EnumMap<>(Kind.class);
        limits.put(Kind.SPAM, new KindLimit(3, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        limits.put(Kind.VIRUS, new KindLimit(2, Duration.ofHours(1), Duration.ofHours(4), IpBlock.Response.TEMPFAIL));
        limits.put(Kind.HARVEST, new KindLimit(4, Duration.ofMinutes(10), Duration.ofHours(1), IpBlock.Response.REJECT));
        limits.put(Kind.BOUNCE, new KindLimit(3, Duration.ofHours(1), Duration.ofHours(1), IpBlock.Response.TEMPFAIL));
        return new ProfilerSettings(limits, exempt, Duration.ofSeconds(5), Duration.ofHours(24));
    }

    @BeforeEach
    void start() {
        start(settings(List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("::1"))));
    }

    void start(ProfilerSettings settings) {
        if (driver != null) {
            driver.close();
        }
        metrics = new ProfilerMetrics(new SimpleMeterRegistry());
        driver = new TopologyTestDriver(IpProfilerTopology.build(settings, metrics),
                IpProfilerTopology.properties("ip-profiler-test", "dummy:9092", stateDir, 1, metrics), T0);
        verdicts = driver.createInputTopic(Topics.MAIL_VERDICT, new StringSerializer(), new ByteArraySerializer());
        smtpEvents = driver.createInputTopic(Topics.SMTP_EVENTS, new StringSerializer(), new ByteArraySerializer());
        control = driver.createInputTopic(Topics.IP_PROFILER_CONTROL, new StringSerializer(), new ByteArraySerializer());
        blocks = driver.createOutputTopic(Topics.IP_BLOCKS, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    // --- helpers ---

    private static VerdictIssued verdict(String messageId, String clientIp, boolean spam, boolean virus,
            String mailFrom) {
        return new VerdictIssued(messageId, "default", T0, T0,
                new Envelope(mailFrom, List.of("user@example.org"), "helo.example", clientIp, false),
                BodyRef.inline("x".getBytes(StandardCharsets.UTF_8), null), null, null,
                spam || virus ? Action.QUARANTINE : Action.DELIVER, null, virus, spam, spam ? 9.0 : 0.0, List.of(),
                null, 1);
    }

    private void spam(String messageId, String ip, Instant at) {
        pipeVerdict(verdict(messageId, ip, true, false, "sender@example.net"), at);
    }

    private void pipeVerdict(VerdictIssued verdict, Instant at) {
        verdicts.pipeInput(verdict.messageId(), EventJson.write(verdict), at);
    }

    private void rejected(String eventId, String ip, Instant at) {
        RecipientRejected event = new RecipientRejected(eventId, "edge-1", at, ip, "example.org",
                RecipientRejected.Reason.UNKNOWN_USER, 550);
        smtpEvents.pipeInput(ip, EventJson.write(event), at);
    }

    private void command(String key, IpProfilerCommand.Type type, Instant at) {
        IpProfilerCommand command = new IpProfilerCommand(UUID.randomUUID().toString(), key, type, "root", at, null);
        control.pipeInput(key, EventJson.write(command), at);
    }

    private List<KeyValue<String, String>> output() {
        return blocks.readKeyValuesToList();
    }

    private static IpBlock block(KeyValue<String, String> record) {
        return EventJson.read(record.value.getBytes(StandardCharsets.UTF_8), IpBlock.class);
    }

    private void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    // --- tests ---

    @Test
    void blocksExactlyAtTheThresholdWithinTheWindow() {
        spam("m1", IP, T0);
        spam("m2", IP, T0.plusSeconds(60));
        assertTrue(output().isEmpty(), "two of three spam verdicts must not block");
        spam("m3", IP, T0.plusSeconds(120));
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertEquals(IP, out.get(0).key);
        IpBlock block = block(out.get(0));
        assertEquals(IP, block.ip());
        assertEquals(Kind.SPAM, block.kind());
        assertEquals(3, block.count());
        assertEquals(3600, block.windowSeconds());
        assertEquals(IpBlock.Response.TEMPFAIL, block.response());
        assertEquals(Duration.ofHours(1), Duration.between(block.since(), block.until()));
        assertEquals(T0, block.since(), "the block starts at the wall-clock time of the decision");
        assertTrue(block.reason().contains("spam") && !block.reason().contains("@"), block.reason());
        assertEquals(3, metrics.countedTotal(Kind.SPAM));
    }

    @Test
    void oneBelowTheThresholdNeverBlocks() {
        spam("m1", IP, T0);
        spam("m2", IP, T0.plusSeconds(10));
        advanceWallClock(Duration.ofMinutes(10));
        assertTrue(output().isEmpty());
    }

    @Test
    void eventsOutsideTheWindowDoNotCount() {
        spam("m1", IP, T0);
        spam("m2", IP, T0.plus(Duration.ofMinutes(30)));
        // m1 is now 60 minutes old: out of the 1h window (exclusive start)
        spam("m3", IP, T0.plus(Duration.ofMinutes(60)));
        assertTrue(output().isEmpty(), "m1 left the window");
        spam("m4", IP, T0.plus(Duration.ofMinutes(61)));
        assertEquals(1, output().size(), "m2, m3, m4 are within one hour");
    }

    @Test
    void aLateEventOlderThanTheWindowDoesNotCount() {
        spam("m1", IP, T0.plus(Duration.ofHours(3)));
        spam("m2", IP, T0.plus(Duration.ofHours(3)));
        spam("late", IP, T0); // three hours before the others
        assertTrue(output().isEmpty());
    }

    @Test
    void replayedHistoryOlderThanTheWindowByTheWallClockNeverBlocks() {
        // a first start reads the topics from the beginning: a burst three hours ago is not a reason to block now
        for (int i = 0; i < 10; i++) {
            spam("old" + i, IP, T0.minus(Duration.ofHours(3)).plusSeconds(i));
        }
        assertTrue(output().isEmpty());
        spam("new1", IP, T0);
        spam("new2", IP, T0.plusSeconds(1));
        assertTrue(output().isEmpty(), "the old burst does not count towards the new one");
        spam("new3", IP, T0.plusSeconds(2));
        assertEquals(1, output().size());
    }

    @Test
    void aReEmittedVerdictIsCountedOnce() {
        spam("m1", IP, T0);
        spam("m2", IP, T0.plusSeconds(1));
        // the scanner restarts and emits m1 and m2 again, later
        spam("m1", IP, T0.plus(Duration.ofMinutes(5)));
        spam("m2", IP, T0.plus(Duration.ofMinutes(6)));
        assertTrue(output().isEmpty(), "duplicates must not reach the threshold");
        assertEquals(2, metrics.duplicatesTotal());
        assertEquals(2, metrics.countedTotal(Kind.SPAM));
        spam("m3", IP, T0.plus(Duration.ofMinutes(7)));
        assertEquals(1, output().size());
    }

    @Test
    void everyStoreIsBackedByAChangelogSoARestartedProfilerKeepsItsCountsAndSeenIds() {
        spam("m1", IP, T0);
        rejected("r1", IP, T0);
        for (int i = 0; i < 3; i++) {
            spam("b" + i, "192.0.2.1", T0.plusSeconds(i));
        }
        var topics = driver.producedTopicNames();
        for (String store : List.of(IpProfilerTopology.SEEN_STORE, IpProfilerTopology.COUNT_STORE,
                IpProfilerTopology.BLOCK_STORE)) {
            assertTrue(topics.contains("ip-profiler-test-" + store + "-changelog"), store + " in " + topics);
        }
    }

    @Test
    void aBlockIsEmittedOncePerBlockNotPerEvent() {
        for (int i = 0; i < 5; i++) {
            spam("m" + i, IP, T0.plusSeconds(i));
        }
        assertEquals(1, output().size(), "the 4th and 5th verdicts start a new count, they do not re-emit");
    }

    @Test
    void theBlockExpiresAfterItsDurationWithATombstone() {
        for (int i = 0; i < 3; i++) {
            spam("m" + i, IP, T0.plusSeconds(i));
        }
        assertEquals(1, output().size());
        advanceWallClock(Duration.ofMinutes(59));
        assertTrue(output().isEmpty(), "still blocked after 59 minutes");
        advanceWallClock(Duration.ofMinutes(1).plusSeconds(5));
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertEquals(IP, out.get(0).key);
        assertNull(out.get(0).value, "a tombstone lifts the block");
        advanceWallClock(Duration.ofMinutes(5));
        assertTrue(output().isEmpty(), "the tombstone is sent once");
    }

    @Test
    void anAllowListedIpIsNeverBlocked() {
        command(IP, IpProfilerCommand.Type.ALLOW, T0);
        for (int i = 0; i < 10; i++) {
            spam("m" + i, IP, T0.plusSeconds(i));
        }
        assertTrue(output().isEmpty());
        assertEquals(10, metrics.skippedTotal(ProfilerMetrics.ALLOW_LISTED));
    }

    @Test
    void anAllowListedCidrBlockCoversItsAddressesOnly() {
        command("198.51.100.0/24", IpProfilerCommand.Type.ALLOW, T0);
        for (int i = 0; i < 3; i++) {
            spam("a" + i, "198.51.100.77", T0.plusSeconds(i));
            spam("b" + i, "198.51.101.77", T0.plusSeconds(i));
        }
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertEquals("198.51.101.77", out.get(0).key);
    }

    @Test
    void allowListingABlockedIpLiftsItAndDisallowingCountsAgain() {
        for (int i = 0; i < 3; i++) {
            spam("m" + i, IP, T0.plusSeconds(i));
        }
        assertEquals(1, output().size());
        command("203.0.113.0/24", IpProfilerCommand.Type.ALLOW, T0.plusSeconds(10));
        advanceWallClock(Duration.ofSeconds(6));
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertNull(out.get(0).value);
        command("203.0.113.0/24", IpProfilerCommand.Type.DISALLOW, T0.plusSeconds(20));
        for (int i = 0; i < 3; i++) {
            spam("n" + i, IP, T0.plusSeconds(30 + i));
        }
        assertEquals(1, output().size(), "counted and blocked again after DISALLOW");
    }

    @Test
    void unblockLiftsTheBlockNowAndResetsTheCounts() {
        for (int i = 0; i < 3; i++) {
            spam("m" + i, IP, T0.plusSeconds(i));
        }
        assertEquals(1, output().size());
        spam("m3", IP, T0.plusSeconds(3));
        spam("m4", IP, T0.plusSeconds(4)); // two towards the next block
        advanceWallClock(Duration.ofSeconds(30));
        command(IP, IpProfilerCommand.Type.UNBLOCK, T0.plusSeconds(30));
        advanceWallClock(Duration.ofSeconds(5));
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertNull(out.get(0).value);
        spam("m5", IP, T0.plusSeconds(40));
        assertTrue(output().isEmpty(), "the counts before the UNBLOCK are forgotten");
        spam("m6", IP, T0.plusSeconds(41));
        spam("m7", IP, T0.plusSeconds(42));
        assertEquals(1, output().size(), "a new block needs a full new count");
        advanceWallClock(Duration.ofSeconds(10));
        assertTrue(output().isEmpty(), "the old UNBLOCK does not lift the newer block");
    }

    @Test
    void harvestIsCountedFromRefusedRecipientsAndRejectsAtRcpt() {
        for (int i = 0; i < 4; i++) {
            rejected("edge-1:s1:" + i, IP, T0.plusSeconds(i));
        }
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        IpBlock block = block(out.get(0));
        assertEquals(Kind.HARVEST, block.kind());
        assertEquals(IpBlock.Response.REJECT, block.response());
        assertEquals(600, block.windowSeconds());
    }

    @Test
    void aRepublishedRefusalIsCountedOnce() {
        for (int i = 0; i < 3; i++) {
            rejected("edge-1:s1:" + i, IP, T0.plusSeconds(i));
            rejected("edge-1:s1:" + i, IP, T0.plusSeconds(i + 1));
        }
        assertTrue(output().isEmpty());
        assertEquals(3, metrics.duplicatesTotal());
    }

    @Test
    void bouncesAreVerdictsFromTheNullSender() {
        for (int i = 0; i < 3; i++) {
            pipeVerdict(verdict("b" + i, IP, false, false, ""), T0.plusSeconds(i));
        }
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertEquals(Kind.BOUNCE, block(out.get(0)).kind());
    }

    @Test
    void cleanMailFromARealSenderCountsNothing() {
        for (int i = 0; i < 10; i++) {
            pipeVerdict(verdict("c" + i, IP, false, false, "someone@example.net"), T0.plusSeconds(i));
        }
        assertTrue(output().isEmpty());
        for (Kind kind : Kind.values()) {
            assertEquals(0, metrics.countedTotal(kind));
        }
    }

    @Test
    void oneMessageCountsAsEveryKindItIs() {
        pipeVerdict(verdict("v1", IP, true, true, ""), T0);
        assertEquals(1, metrics.countedTotal(Kind.SPAM));
        assertEquals(1, metrics.countedTotal(Kind.VIRUS));
        assertEquals(1, metrics.countedTotal(Kind.BOUNCE));
        pipeVerdict(verdict("v2", IP, false, true, "x@example.net"), T0.plusSeconds(1));
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        IpBlock block = block(out.get(0));
        assertEquals(Kind.VIRUS, block.kind());
        assertEquals(Duration.ofHours(4), Duration.between(block.since(), block.until()));
    }

    @Test
    void ipv6AddressesAreCountedUnderTheirCanonicalForm() {
        spam("m1", "2001:db8:0:0:0:0:0:7", T0);
        spam("m2", "2001:DB8::7", T0.plusSeconds(1));
        spam("m3", "2001:0db8::0007", T0.plusSeconds(2));
        List<KeyValue<String, String>> out = output();
        assertEquals(1, out.size());
        assertEquals("2001:db8::7", out.get(0).key);
        assertEquals("2001:db8::7", block(out.get(0)).ip());
    }

    @Test
    void anIpv6CidrAllowEntryCoversItsAddresses() {
        command("2001:db8:1::/48", IpProfilerCommand.Type.ALLOW, T0);
        for (int i = 0; i < 3; i++) {
            spam("m" + i, "2001:db8:1:2::9", T0.plusSeconds(i));
        }
        assertTrue(output().isEmpty());
    }

    @Test
    void loopbackIsExemptByDefault() {
        for (int i = 0; i < 5; i++) {
            spam("a" + i, "127.0.0.1", T0.plusSeconds(i));
            spam("b" + i, "::1", T0.plusSeconds(i));
        }
        assertTrue(output().isEmpty());
        assertEquals(10, metrics.skippedTotal(ProfilerMetrics.EXEMPT));
    }

    @Test
    void withAnEmptyExemptListLoopbackIsBlockedLikeAnyIp() {
        start(settings(List.of()));
        for (int i = 0; i < 3; i++) {
            spam("a" + i, "127.0.0.1", T0.plusSeconds(i));
        }
        assertEquals(1, output().size());
    }

    @Test
    void malformedRecordsAreSkippedAndCountedWithoutStoppingTheApplication() {
        verdicts.pipeInput("m0", "{not json".getBytes(StandardCharsets.UTF_8), T0);
        verdicts.pipeInput("m0", new byte[] {0, 1, 2, (byte) 0xff}, T0);
        verdicts.pipeInput("m0", "{\"messageId\":[1,2]}".getBytes(StandardCharsets.UTF_8), T0);
        smtpEvents.pipeInput(IP, "\"just a string\"".getBytes(StandardCharsets.UTF_8), T0);
        // the control table reads a broken record as "no command" for its key (it may be restored without handler)
        control.pipeInput(IP, "{broken".getBytes(StandardCharsets.UTF_8), T0);
        control.pipeInput("192.0.2.0/24", "{\"ip\":\"192.0.2.0/24\",\"type\":\"NUKE\"}".getBytes(StandardCharsets.UTF_8), T0);
        assertEquals(4, metrics.skippedTotal(ProfilerMetrics.MALFORMED));
        for (int i = 0; i < 3; i++) {
            spam("m" + i, IP, T0.plusSeconds(i));
        }
        assertEquals(1, output().size(), "the application keeps counting after poison records");
    }

    @Test
    void verdictsWithoutAUsableClientIpAreSkippedAndCounted() {
        for (int i = 0; i < 3; i++) {
            spam("n" + i, null, T0.plusSeconds(i));
            spam("e" + i, "", T0.plusSeconds(i));
            spam("h" + i, "mail.example.net", T0.plusSeconds(i));
            spam("b" + i, "256.1.1.1", T0.plusSeconds(i));
            spam("z" + i, "fe80::1%eth0", T0.plusSeconds(i));
        }
        VerdictIssued noEnvelope = new VerdictIssued("x1", "default", T0, T0, null, null, null, null, Action.DELIVER,
                null, false, true, 9.0, List.of(), null, 1);
        verdicts.pipeInput("x1", EventJson.write(noEnvelope), T0);
        rejected("r1", "not-an-ip", T0);
        assertTrue(output().isEmpty());
        assertEquals(7, metrics.skippedTotal(ProfilerMetrics.MISSING_IP));
        assertEquals(10, metrics.skippedTotal(ProfilerMetrics.INVALID_IP));
    }

    @Test
    void idleCountsAreForgottenAfterTheirWindow() {
        spam("m1", IP, T0);
        spam("m2", IP, T0.plusSeconds(1));
        advanceWallClock(Duration.ofMinutes(61));
        assertNull(driver.getKeyValueStore(IpProfilerTopology.COUNT_STORE)
                .get(ProfileProcessor.countKey(IP, Kind.SPAM)));
    }

    @Test
    void theStateDirectoryIsUsed() throws Exception {
        spam("m1", IP, T0);
        try (var files = Files.walk(stateDir)) {
            assertTrue(files.anyMatch(p -> p.toString().contains(IpProfilerTopology.COUNT_STORE)));
        }
    }
}
