package io.portcullis.scanner.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.QuarantineEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseIdsTest {

    static QuarantineEvent released(String id, String key, Instant at, String... recipients) {
        return new QuarantineEvent(id, "default", at, QuarantineEvent.Type.RELEASED,
                new Envelope("a@example.net", List.of(recipients), "h", "192.0.2.1", false),
                BodyRef.stored("portcullis-quarantine", key, 10, "ab"), "rule=spam", "admin");
    }

    @Test
    void theSameReleaseAlwaysGetsTheSameIdEvenPublishedTwiceAtAnotherTime() {
        String a = ReleaseIds.verdictId(released("Q1", "2026/01/01/Q1.eml", Instant.EPOCH, "b@x.org", "c@x.org"));
        String b = ReleaseIds.verdictId(released("Q1", "2026/01/01/Q1.eml", Instant.now(), "C@X.org", "b@x.org"));
        assertEquals(a, b);
        assertTrue(a.matches("Q1\\.r[0-9a-f]{10}"), a);
    }

    @Test
    void otherRecipientsOrAnotherItemOfTheMessageGetAnotherId() {
        String both = ReleaseIds.verdictId(released("Q1", "2026/01/01/Q1.eml", Instant.EPOCH, "b@x.org", "c@x.org"));
        String one = ReleaseIds.verdictId(released("Q1", "2026/01/01/Q1.eml", Instant.EPOCH, "b@x.org"));
        String item2 = ReleaseIds.verdictId(released("Q1", "2026/01/01/Q1.q2.eml", Instant.EPOCH, "b@x.org"));
        assertNotEquals(both, one);
        assertNotEquals(one, item2);
        assertNotEquals("Q1", one, "never the released item's own id");
    }

    @Test
    void overLongOriginalIdIsRefusedSoTheVerdictIdStaysAValidQuarantineId() {
        String id = "Q".repeat(117);
        assertThrows(IllegalArgumentException.class, () -> ReleaseIds.verdictId(released(id, "k", Instant.EPOCH,
                "b@x.org")));
        assertEquals(128, ReleaseIds.verdictId(released("Q".repeat(116), "k", Instant.EPOCH, "b@x.org")).length());
    }
}
