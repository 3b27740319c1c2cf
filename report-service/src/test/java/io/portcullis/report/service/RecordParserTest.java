package io.portcullis.report.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.report.Events;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordParserTest {
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsValidRecordsOfEachTopic() {
        var v = Events.verdict("q1", T, Action.DELIVER, Events.envelope("a@x.org", "b@example.com"));
        assertEquals(v, RecordParser.verdict(EventJson.write(v)));
        var d = Events.delivery("q1", T, DeliveryEvent.DeliveryStatus.DELIVERED, "b@example.com");
        assertEquals(d, RecordParser.delivery(EventJson.write(d)));
        var q = Events.quarantine("q1", T, QuarantineEvent.Type.QUARANTINED, null);
        assertEquals(q, RecordParser.quarantine(EventJson.write(q)));
    }

    @Test
    void rejectsNonJsonEmptyAndNullRecords() {
        assertThrows(PoisonRecordException.class, () -> RecordParser.verdict(json("not json {")));
        assertThrows(PoisonRecordException.class, () -> RecordParser.verdict(new byte[0]));
        assertThrows(PoisonRecordException.class, () -> RecordParser.verdict(null));
        assertThrows(PoisonRecordException.class, () -> RecordParser.delivery(json("null")));
        assertThrows(PoisonRecordException.class, () -> RecordParser.quarantine(new byte[] {(byte) 0xff, 0, 1}));
    }

    @Test
    void rejectsWrongRecordShapes() {
        assertThrows(PoisonRecordException.class, () -> RecordParser.delivery(json("[1,2,3]")));
        assertThrows(PoisonRecordException.class,
                () -> RecordParser.delivery(json("{\"messageId\":\"q1\",\"at\":\"yesterday\",\"status\":\"DELIVERED\"}")));
        assertThrows(PoisonRecordException.class,
                () -> RecordParser.delivery(json("{\"messageId\":\"q1\",\"at\":\"2026-01-01T00:00:00Z\",\"status\":\"TELEPORTED\"}")));
    }

    @Test
    void rejectsMissingRequiredFields() {
        assertThrows(PoisonRecordException.class,
                () -> RecordParser.delivery(json("{\"at\":\"2026-01-01T00:00:00Z\",\"status\":\"DELIVERED\"}")));
        assertThrows(PoisonRecordException.class,
                () -> RecordParser.delivery(json("{\"messageId\":\"q1\",\"status\":\"DELIVERED\"}")));
        assertThrows(PoisonRecordException.class,
                () -> RecordParser.quarantine(json("{\"messageId\":\"q1\",\"at\":\"2026-01-01T00:00:00Z\"}")));
        assertThrows(PoisonRecordException.class, () -> RecordParser.verdict(json("{\"messageId\":\"q1\"}")));
    }

    @Test
    void rejectsHostileMessageIds() {
        for (String id : new String[] {"", "q 1", "q1\r\nINFO forged log line", "q\u00e91", "x".repeat(256)}) {
            byte[] bytes = EventJson.write(Events.delivery(id, T, DeliveryEvent.DeliveryStatus.DELIVERED));
            assertThrows(PoisonRecordException.class, () -> RecordParser.delivery(bytes), id);
        }
    }

    @Test
    void poisonMessageDoesNotQuoteTheRecord() {
        PoisonRecordException e = assertThrows(PoisonRecordException.class,
                () -> RecordParser.verdict(json("{\"messageId\": SECRET-BODY")));
        assertFalse(e.getMessage().contains("SECRET"));
    }
}
