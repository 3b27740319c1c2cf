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

    @Test
    void deliveryStepsKeepTheirKindAndOldEventsAreTheMessage() {
        DeliveryEvent bcc = new DeliveryEvent("q", "default", T, DeliveryStatus.DELIVERED, List.of("audit@x.org"), 1,
                "mx:25", "bcc copy: 250 ok", io.portcullis.contracts.events.DeliveryKind.BCC_COPY);
        PathEvent step = PathEvents.of(bcc);
        assertEquals("BCC_COPY", step.kind());
        assertEquals("BCC_COPY", step.stepKey("q"), "a BCC copy's step is told apart from the message's");
        PathEvent old = PathEvents.of(Events.delivery("q", T, DeliveryStatus.DELIVERED, "b@example.com"));
        assertEquals("MESSAGE", old.kind());
        assertEquals("", old.stepKey("q"), "the key of steps recorded before kinds existed");
        assertNull(old.itemId());
    }

    @Test
    void quarantineStepsNameTheirItemAndArea() {
        QuarantineEvent second = new QuarantineEvent("q", "default", T, QuarantineEvent.Type.QUARANTINED, null, null,
                "rule=legal-hold", "system", "q.q2", "legal");
        PathEvent step = PathEvents.of(second);
        assertEquals("q.q2", step.itemId());
        assertEquals("legal", step.area());
        assertNull(step.kind());
        assertEquals("q.q2", step.stepKey("q"));
        PathEvent old = PathEvents.of(Events.quarantine("q", T, QuarantineEvent.Type.QUARANTINED, null));
        assertEquals("q", old.itemId(), "an event of the first releases is about the item named like the message");
        assertNull(old.area());
        assertEquals("", old.stepKey("q"));
    }

    @Test
    void hostileItemIdsAndAreasAreFlattenedAndCut() {
        QuarantineEvent q = new QuarantineEvent("q", "default", T, QuarantineEvent.Type.QUARANTINED, null, null, null,
                "system", "q.q2\r\n" + "x".repeat(10_000), "a\u0000rea");
        PathEvent step = PathEvents.of(q);
        assertTrue(step.itemId().length() <= 255);
        assertTrue(step.itemId().chars().noneMatch(Character::isISOControl));
        assertEquals("a rea", step.area());
    }
}
