package io.portcullis.report.service;

import static io.portcullis.report.service.MessageState.DELIVERED;
import static io.portcullis.report.service.MessageState.DELETED;
import static io.portcullis.report.service.MessageState.DEFERRED;
import static io.portcullis.report.service.MessageState.QUARANTINED;
import static io.portcullis.report.service.MessageState.RELEASED;
import static io.portcullis.report.service.MessageState.SCANNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageStateTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void anyStateReplacesNone() {
        assertTrue(MessageState.supersedes(SCANNED, T, null, null));
    }

    @Test
    void newerEventWinsOlderEventLoses() {
        assertTrue(MessageState.supersedes(DELIVERED, T.plusSeconds(1), SCANNED, T));
        assertFalse(MessageState.supersedes(SCANNED, T, QUARANTINED, T.plusSeconds(1)),
                "a late verdict does not undo a quarantine");
        assertTrue(MessageState.supersedes(DELIVERED, T.plusSeconds(5), DEFERRED, T.plusSeconds(2)));
        assertFalse(MessageState.supersedes(DEFERRED, T.plusSeconds(2), DELIVERED, T.plusSeconds(5)),
                "a re-delivered old deferral does not undo a delivery");
    }

    @Test
    void atTheSameInstantTheLaterStageWinsInEitherArrivalOrder() {
        assertTrue(MessageState.supersedes(QUARANTINED, T, SCANNED, T));
        assertFalse(MessageState.supersedes(SCANNED, T, QUARANTINED, T));
        assertTrue(MessageState.supersedes(RELEASED, T, QUARANTINED, T));
        assertFalse(MessageState.supersedes(QUARANTINED, T, RELEASED, T));
        assertTrue(MessageState.supersedes(DELETED, T, RELEASED, T));
    }

    @Test
    void theSameEventAgainIsANoOpEitherWay() {
        assertTrue(MessageState.supersedes(DELIVERED, T, DELIVERED, T));
    }

    @Test
    void parsesStoredNamesAndIgnoresUnknownOnes() {
        assertEquals(RELEASED, MessageState.parse("RELEASED"));
        assertNull(MessageState.parse("SOMETHING_NEW"));
        assertNull(MessageState.parse(null));
    }
}
