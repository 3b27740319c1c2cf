package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.DeliveryEvent.DeliveryStatus;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.report.Events;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathEventsTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void scannedStepNamesEachEngineDataVersion() {
        var base = Events.verdict("q2", T, Action.DELIVER, Events.envelope("a@x.org", "b@example.com"));
        var v = new io.portcullis.contracts.events.VerdictIssued(base.messageId(), base.tenant(), base.receivedAt(),
                base.scannedAt(), base.envelope(), base.body(), base.headerMessageId(), base.subject(), base.action(),
                base.ruleId(), false, false, 0, List.of(), base.modifications(), 1,
                java.util.Map.of("clamd", "ClamAV 1.4.6/27000", "antivirus", "2026112701"));
        String detail = PathEvents.of(v).get(1).detail();
        assertTrue(detail.endsWith(" antivirus=2026112701 clamd=ClamAV 1.4.6/27000"), detail);
        assertTrue(!PathEvents.of(base).get(1).detail().contains("antivirus="));
    }

    @Test
    void aVerdictIsReceivedThenScannedWithActionAndDistinctSymbols() {
        var v = Events.verdict("q1", T, Action.QUARANTINE, Events.envelope("a@x.org", "b@example.com"),
                Events.finding("EICAR_TEST"), Events.finding("AV_FAIL"), Events.finding("EICAR_TEST"));
        List<PathEvent> steps = PathEvents.of(v);
        assertEquals("RECEIVED", steps.get(0).type());
        assertEquals(T, steps.get(0).at());
        assertNull(steps.get(0).state());
        assertEquals("SCANNED", steps.get(1).type());
        assertEquals(MessageState.SCANNED, steps.get(1).state());
        assertTrue(steps.get(1).detail().contains("action=QUARANTINE"));
        assertTrue(steps.get(1).detail().contains("symbols=EICAR_TEST,AV_FAIL"));
        assertEquals("EICAR_TEST,AV_FAIL", PathEvents.symbols(v));
    }

    @Test
    void deliveryStatusesMapToStatesAndDsnLeavesTheStateAlone() {
        assertEquals(MessageState.DELIVERED, PathEvents.of(Events.delivery("q", T, DeliveryStatus.DELIVERED)).state());
        assertEquals(MessageState.DEFERRED, PathEvents.of(Events.delivery("q", T, DeliveryStatus.DEFERRED)).state());
        assertEquals(MessageState.FAILED, PathEvents.of(Events.delivery("q", T, DeliveryStatus.FAILED)).state());
        assertEquals(MessageState.DROPPED, PathEvents.of(Events.delivery("q", T, DeliveryStatus.DROPPED)).state());
        assertNull(PathEvents.of(Events.delivery("q", T, DeliveryStatus.DSN_SENT)).state());
    }

    @Test
    void quarantineTypesMapToStates() {
        for (QuarantineEvent.Type type : QuarantineEvent.Type.values()) {
            assertEquals(type.name(), PathEvents.of(Events.quarantine("q", T, type, null)).state().name());
        }
    }

    @Test
    void hostileRemoteRepliesAreFlattenedAndCut() {
        DeliveryEvent d = new DeliveryEvent("q", "default", T, DeliveryStatus.FAILED, List.of(), 3, "mx:25",
                "550 no\r\nX-Injected: 1\u0000" + "x".repeat(10_000));
        String detail = PathEvents.of(d).detail();
        assertTrue(detail.length() <= PathEvents.MAX_DETAIL_LENGTH);
        assertTrue(detail.chars().noneMatch(Character::isISOControl));
    }
}
