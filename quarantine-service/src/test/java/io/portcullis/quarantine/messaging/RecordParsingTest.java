package io.portcullis.quarantine.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.quarantine.Fixtures;
import io.portcullis.quarantine.service.PermanentFailure;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordParsingTest {

    @Test
    void parsesAVerdict() {
        assertEquals("m1", VerdictConsumer.parse(EventJson.write(Fixtures.inlineVerdict("m1", Action.QUARANTINE)))
                .messageId());
    }

    @Test
    void garbageEmptyNullAndTombstonesArePoison() {
        assertThrows(PermanentFailure.class, () -> VerdictConsumer.parse(null));
        assertThrows(PermanentFailure.class, () -> VerdictConsumer.parse(new byte[0]));
        assertThrows(PermanentFailure.class, () -> VerdictConsumer.parse("null".getBytes(StandardCharsets.UTF_8)));
        assertThrows(PermanentFailure.class, () -> VerdictConsumer.parse("{not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(PermanentFailure.class,
                () -> VerdictConsumer.parse("{\"action\":\"EXPLODE\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void quarantineEventsNeedTypeSafeIdAndTime() {
        assertThrows(PermanentFailure.class, () -> QuarantineStateConsumer.parse(
                "{\"messageId\":\"m\",\"at\":\"2026-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(PermanentFailure.class, () -> QuarantineStateConsumer.parse(
                "{\"messageId\":\"../m\",\"type\":\"DELETED\",\"at\":\"2026-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThrows(PermanentFailure.class, () -> QuarantineStateConsumer.parse(
                "{\"messageId\":\"m\",\"type\":\"DELETED\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("m", QuarantineStateConsumer.parse(
                "{\"messageId\":\"m\",\"type\":\"DELETED\",\"at\":\"2026-01-01T00:00:00Z\"}"
                        .getBytes(StandardCharsets.UTF_8)).messageId());
    }
}
