package io.portcullis.edge.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueIdGeneratorTest {

    @Test
    void idsAreFileNameSafeUniqueAndIncreasing() {
        QueueIdGenerator generator = new QueueIdGenerator();
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 100_000; i++) {
            String id = generator.next();
            assertTrue(id.matches("[0-9A-Z]{18}"), id);
            assertTrue(QueueIdGenerator.isValid(id));
            assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
            assertTrue(seen.add(id));
            previous = id;
        }
    }

    @Test
    void idsSortByTimeAcrossGenerators() {
        QueueIdGenerator early = new QueueIdGenerator(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
                ZoneOffset.UTC));
        QueueIdGenerator late = new QueueIdGenerator(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"),
                ZoneOffset.UTC));
        assertTrue(early.next().compareTo(late.next()) < 0);
    }

    @Test
    void sequenceOverflowWithinOneMillisecondStaysIncreasing() {
        QueueIdGenerator generator = new QueueIdGenerator(Clock.fixed(Instant.EPOCH.plusSeconds(1), ZoneOffset.UTC));
        String previous = "";
        for (int i = 0; i < 50_000; i++) {
            String id = generator.next();
            assertTrue(id.compareTo(previous) > 0);
            previous = id;
        }
        assertEquals(18, previous.length());
    }
}
